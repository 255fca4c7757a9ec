// Building the webview's DOM: text goes in as textContent, never as HTML.

/** A DOM element with a class, text (as textContent) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; title?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title !== undefined) node.title = props.title;
  node.append(...children);
  return node;
}
