// edubot_label: the form controls a person takes a label text to name.
//
// A Playwright selector engine (registered by bot/engine/locate.py). Selector body: JSON
// {"text": "ชื่อ", "exact": true}. Real portals often give no <label for>: the vendor framework
// of LEC writes <div class="col-sm-2"><label> ชื่อ: </label></div><div class="col-sm-3"><input>
// and tables write <td>สังกัดในการใช้ระบบ</td><td><select>. So each control is named, in the
// order a person looks, by:
//   1. its <label> (for= or wrapping), the label's own words;
//   2. aria-labelledby, then aria-label;
//   3. the words of the box just before the control's own cell or column;
//   4. its placeholder;
//   5. its title.
// The first rule that names any control decides; several controls named by it are returned
// all, and the caller refuses to guess. Words compare with spacing collapsed and leading or
// trailing colons and asterisks ignored ("* ชื่อ :" is "ชื่อ").
(() => {
  const CONTROLS = 'input:not([type=hidden]):not([type=button]):not([type=submit])'
    + ':not([type=reset]):not([type=image]), select, textarea';
  // Boxes passed over when looking for the one before a cell: they show no words.
  const UNSEEN = 'input[type=hidden], script, style, template';
  // What a person does not read as a label's words: a select's options, a textarea's text.
  const NOT_WORDS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'SELECT', 'OPTION',
    'TEXTAREA']);
  // Climbing from a control to its cell stops at these boxes (and after three steps).
  const BOUNDS = new Set(['FORM', 'FIELDSET', 'TABLE', 'TBODY', 'BODY']);

  const norm = s => (s || '').replace(/\u200b/g, '').replace(/\s+/g, ' ')
    .replace(/^[\s:*]+|[\s:*]+$/g, '');

  const words = el => {
    let out = '';
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === Node.TEXT_NODE) out += c.nodeValue;
      else if (c.nodeType === Node.ELEMENT_NODE && !NOT_WORDS.has(c.nodeName)) out += words(c);
    }
    return out;
  };

  const before = el => {
    let p = el.previousElementSibling;
    while (p && p.matches(UNSEEN)) p = p.previousElementSibling;
    return p;
  };

  // Rule 3: the box before the control's cell, when it holds words and no control of its own
  // (a label for another control is that control's, not this one's).
  const beside = c => {
    let cell = c;
    for (let steps = 0; cell && !before(cell); steps++) {
      cell = cell.parentElement;
      if (!cell || steps >= 3 || BOUNDS.has(cell.nodeName)) return [];
    }
    const box = before(cell);
    if (box.matches(CONTROLS) || box.querySelector(CONTROLS)) return [];
    const label = box.matches('label') ? box : box.querySelector('label');
    if (label && label.control && label.control !== c) return [];
    return [words(box)];
  };

  const labelledBy = c => {
    const ids = (c.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    const parts = ids.map(id => document.getElementById(id)).filter(Boolean).map(words);
    return parts.length ? [parts.join(' ')] : [];
  };

  // [the locator key a flow writes for it, the rule]: to the engine all five are one `label:`;
  // `edubot record` (bot/record/page_recorder.js) writes the key when it names a field.
  const RULES = [
    ['label', c => [...(c.labels || [])].map(words)],
    ['label', c => [...labelledBy(c), c.getAttribute('aria-label')]],
    ['label', beside],
    ['placeholder', c => [c.getAttribute('placeholder')]],
    ['label', c => [c.getAttribute('title')]],
  ];

  const queryAll = (root, body) => {
    const {text, exact} = JSON.parse(body);
    const wanted = norm(text);
    if (!wanted) return [];
    const matches = exact
      ? s => s !== null && norm(s) === wanted
      : s => s !== null && norm(s).toLowerCase().includes(wanted.toLowerCase());
    const controls = [...root.querySelectorAll(CONTROLS)];
    for (const [, rule] of RULES) {
      const found = controls.filter(c => rule(c).some(matches));
      if (found.length) return found;
    }
    return [];
  };

  // query/queryAll for Playwright; the rest for the recorder, which names fields by these rules.
  return {queryAll, query: (root, body) => queryAll(root, body)[0] || null,
    RULES, CONTROLS, norm, words, labelledBy};
})()
