// Builds the page from data as text nodes only. Titles, excerpts and comments come from hostile feeds
// and from other people: nothing here parses a string as HTML (a test reads every script for the ways to).

/** An element with attributes (a "class", "on…" handlers, booleans) and children (nodes or text). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what a container shows. */
export function show(container, ...children) {
  container.replaceChildren();
  append(container, children);
  return container;
}

/** A table with a caption, header cells with scope, and one row per item. */
export function table(caption, headers, rows) {
  return el('table', {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));
}

/** A term–value list (dl) from pairs, skipping values that are empty. */
export function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}
