// The webview's controls. This is the ONLY module that imports @vscode/webview-ui-toolkit: the rest
// of the webview builds controls through these factories, so replacing the toolkit (deprecated
// upstream; @vscode-elements/elements is the likely successor) means rewriting this file alone.
//
// Only the components used are registered. The toolkit styles its components with constructable
// stylesheets (adoptedStyleSheets) and sets its design tokens through the CSSOM, both of which the
// webview's CSP (`style-src` without 'unsafe-inline') allows; two of its habits it does not allow,
// worked around here and in esbuild.mjs (see badge() and ui/focus-visible.ts).
// test/browser/actions.test.mjs fails on any CSP violation. Its tokens follow the VS Code theme
// variables of <body>.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDropdown, vsCodeOption, vsCodeProgressRing, vsCodeTextField } from '@vscode/webview-ui-toolkit';

let registered = false;

/** Registers the components once, before the first control is made. */
function register(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextField(), vsCodeProgressRing(), vsCodeDropdown(), vsCodeOption());
}

export interface ButtonOptions {
  /** primary (the default), secondary, or icon (a glyph only; give a title). */
  appearance?: 'primary' | 'secondary' | 'icon';
  title?: string;
  /** data-* attributes, e.g. { action: 'compact' } → data-action="compact". */
  data?: Record<string, string>;
  disabled?: boolean;
  onClick?: (event: MouseEvent) => void;
}

/** A button: keyboard reachable (Tab, Enter, Space) with the theme's focus border. */
export function button(label: string, options: ButtonOptions = {}): HTMLElement {
  register();
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.setAttribute('appearance', options.appearance ?? 'primary');
  if (options.title) {
    b.title = options.title;
    b.setAttribute('aria-label', options.appearance === 'icon' ? options.title : label);
  }
  for (const [k, v] of Object.entries(options.data ?? {})) b.dataset[k] = v;
  setDisabled(b, options.disabled ?? false);
  if (options.onClick) b.addEventListener('click', (e) => !isDisabled(b) && options.onClick!(e));
  return b;
}

export function setDisabled(control: HTMLElement, disabled: boolean): void {
  control.toggleAttribute('disabled', disabled);
}

export function isDisabled(control: HTMLElement): boolean {
  return control.hasAttribute('disabled');
}

export interface TextFieldOptions {
  /** The visible label (also its accessible name). */
  label: string;
  placeholder?: string;
  value?: string;
  type?: 'text' | 'search';
  onInput?: (value: string) => void;
  onEnter?: (value: string) => void;
}

/** A text field with a label; `fieldValue` / `setFieldValue` read and write it. */
export function textField(options: TextFieldOptions): HTMLElement {
  register();
  const f = document.createElement('vscode-text-field');
  f.textContent = options.label;
  if (options.placeholder) f.setAttribute('placeholder', options.placeholder);
  if (options.type) f.setAttribute('type', options.type);
  if (options.value) setFieldValue(f, options.value);
  if (options.onInput) f.addEventListener('input', () => options.onInput!(fieldValue(f)));
  if (options.onEnter) f.addEventListener('keydown', (e) => (e as KeyboardEvent).key === 'Enter' && options.onEnter!(fieldValue(f)));
  return f;
}

export function fieldValue(control: HTMLElement): string {
  return String((control as HTMLElement & { value?: unknown }).value ?? '');
}

export function setFieldValue(control: HTMLElement, value: string): void {
  (control as HTMLElement & { value: string }).value = value;
}

/** An indeterminate progress ring (the loading state of a section). */
export function progress(label: string): HTMLElement {
  register();
  const p = document.createElement('vscode-progress-ring');
  p.setAttribute('aria-label', label);
  return p;
}

/**
 * A small tag (a level). Not the toolkit's vscode-badge: its template binds a `style` attribute,
 * which the webview CSP blocks (style-src-attr); a span styled in media/loupe.css (`.ui-badge`) with
 * the theme's badge colours looks the same.
 */
export function badge(text: string, title?: string): HTMLElement {
  const b = document.createElement('span');
  b.className = 'ui-badge';
  b.textContent = text;
  if (title) b.title = title;
  return b;
}

export interface DropdownOptions {
  label: string;
  options: { value: string; text: string }[];
  value: string;
  onChange: (value: string) => void;
}

/** A dropdown of fixed choices. */
export function dropdown(options: DropdownOptions): HTMLElement {
  register();
  const d = document.createElement('vscode-dropdown');
  d.setAttribute('aria-label', options.label);
  d.title = options.label;
  for (const o of options.options) {
    const opt = document.createElement('vscode-option');
    opt.setAttribute('value', o.value);
    opt.textContent = o.text;
    if (o.value === options.value) opt.setAttribute('selected', '');
    d.append(opt);
  }
  d.addEventListener('change', () => options.onChange(fieldValue(d)));
  return d;
}

export interface SliderOptions {
  label: string;
  min: number;
  max: number;
  value: number;
  onInput: (value: number) => void;
}

/**
 * A range slider. The toolkit has none, so this is the native input styled with the theme's
 * variables (media/loupe.css, `.ui-slider`); a replacement toolkit with a slider would go here.
 */
export function slider(options: SliderOptions): HTMLInputElement {
  const s = document.createElement('input');
  s.type = 'range';
  s.className = 'ui-slider';
  s.min = String(options.min);
  s.max = String(options.max);
  s.step = '1';
  s.value = String(options.value);
  s.setAttribute('aria-label', options.label);
  s.addEventListener('input', () => options.onInput(Number(s.value)));
  return s;
}
