// Stands in for @microsoft/fast-foundation's utilities/style/focus.js in the webview bundle (see
// the plugin in esbuild.mjs). FAST probes for :focus-visible by inserting an empty <style> element,
// which the webview's CSP (style-src without 'unsafe-inline') blocks: a CSP violation on every
// load, after which FAST falls back to :focus and draws focus rings on mouse clicks too. VS Code's
// webviews run a current Chromium, where :focus-visible is always supported.
export const focusVisible = 'focus-visible';
