// edubot record: what the person does on the page, told to Python through one binding.
//
// Injected into every document of the recording (bot/record/session.py). It reports WHICH
// field changed and how a person names it, never WHAT was typed: a typed value stays in the
// page. A select's chosen option is told only for a field outside the data catalogue (those
// become ${record.…} bindings anyway). A field is named by the engine's own rules, in its
// order (label_engine.js, which session.py puts in below); a button or link by its
// text, value, aria-label or title. Each name is checked here, at the moment of the action, to
// name exactly one element; CSS is the last resort, and says why.
//
// `__EDUBOT_CATALOGUE__` is replaced by the catalogue's labels (normalised),
// `__EDUBOT_IRREVERSIBLE__` by the words of an irreversible button (bot/record/catalogue.py) and
// `__EDUBOT_HOLD__` by whether such a click is held for the person's answer (a real portal).
(() => {
  if (window.__edubotRecorder || window.top !== window) return; // the portals draw in the top page
  window.__edubotRecorder = true;
  const CATALOGUE = new Set(__EDUBOT_CATALOGUE__);
  const HOLD = __EDUBOT_HOLD__;
  const IRREVERSIBLE = new RegExp(__EDUBOT_IRREVERSIBLE__, 'i');

  // The engine's own label rules (label_engine.js), so a recorded name is one it resolves.
  const {RULES, CONTROLS, norm, words, labelledBy, queryAll} = __EDUBOT_LABEL_ENGINE__;
  const BUTTONS = 'button, input[type=submit], input[type=button], input[type=reset],'
    + ' input[type=image], [role=button]';
  const LINKS = 'a[href], [role=link]';
  const POPUPS = '[role=dialog], [role=alertdialog], .swal2-popup, .sweet-alert, .modal.show';

  const squash = s => (s || '').replace(/\u200b/g, '').replace(/\s+/g, ' ').trim();
  const shown = el => {
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') return false;
    return !el.closest('[aria-hidden=true]');
  };

  // ---- fields: named by the engine's rules, in its order -----------------------------------
  // The controls the engine finds for `label: text` (the first rule naming any decides).
  const byLabel = text => queryAll(document, JSON.stringify({text, exact: true}));
  const byPlaceholder = text => [...document.querySelectorAll('[placeholder]')]
    .filter(c => squash(c.getAttribute('placeholder')) === text);

  const fieldName = el => {
    let crowded = '';
    for (const [key, rule] of RULES) {
      for (const raw of rule(el)) {
        const text = key === 'label' ? norm(raw) : squash(raw);
        if (!text) continue;
        const found = key === 'label' ? byLabel(text) : byPlaceholder(text);
        if (found.length === 1 && found[0] === el) return {key, text};
        if (!crowded) crowded = `${text} (${found.length})`;
      }
    }
    return {key: 'css', text: cssOf(el), why: crowded ? `crowded: ${crowded}` : 'unnamed'};
  };

  // ---- buttons and links: role and accessible name --------------------------------------
  const roleOf = el => el.matches(BUTTONS) ? 'button' : el.matches(LINKS) ? 'link' : null;
  const nameOf = el => {
    const aria = labelledBy(el)[0] || el.getAttribute('aria-label');
    if (aria && squash(aria)) return squash(aria);
    const own = el.matches('input') ? el.value : el.innerText || el.textContent;
    return squash(own) || squash(el.getAttribute('title')) || squash(el.getAttribute('alt'));
  };
  const clickName = el => {
    const role = roleOf(el);
    const name = nameOf(el);
    // A table's data row shows a child's name or ID, and a link there may say them: its words
    // stay in the page. (A per-row action, แก้ไข or ลบ, names no one row alone anyway.) A
    // one-cell row is the vendor framework's menu, not data.
    const row = el.closest('tr');
    if (row && row.cells.length > 1) return {key: 'css', text: cssOf(el), why: 'in a row of data', role, name};
    if (role && name) {
      const same = [...document.querySelectorAll(role === 'button' ? BUTTONS : LINKS)]
        .filter(o => shown(o) && nameOf(o) === name);
      if (same.length === 1 && same[0] === el) return {key: 'role', role, text: name};
      return {key: 'css', text: cssOf(el), why: `crowded: ${name} (${same.length})`, role, name};
    }
    return {key: 'css', text: cssOf(el), why: 'unnamed', role, name};
  };

  // ---- CSS, the last resort: an id, a name, else a path of tags --------------------------
  const unique = sel => { try { return document.querySelectorAll(sel).length === 1; } catch (e) { return false; } };
  const cssOf = el => {
    if (el.id && unique(`#${CSS.escape(el.id)}`)) return `#${CSS.escape(el.id)}`;
    const tag = el.tagName.toLowerCase();
    const named = el.getAttribute('name');
    if (named && unique(`${tag}[name="${named}"]`)) return `${tag}[name="${named}"]`;
    const path = [];
    for (let n = el; n && n !== document.body; n = n.parentElement) {
      const t = n.tagName.toLowerCase();
      const same = n.parentElement ? [...n.parentElement.children].filter(s => s.tagName === n.tagName) : [];
      path.unshift(same.length > 1 ? `${t}:nth-of-type(${same.indexOf(n) + 1})` : t);
      if (unique(path.join(' > '))) break;
    }
    return path.join(' > ');
  };

  const send = event => window.__edubotRecord(Object.assign({page: location.href}, event));

  // ---- the person's actions --------------------------------------------------------------
  const told = new WeakSet(); // text fields already reported on this page
  const onField = (el, force) => {
    if (!el.matches || !el.matches(CONTROLS) || inToolbar(el)) return;
    const type = (el.getAttribute('type') || '').toLowerCase();
    const control = el.tagName === 'SELECT' ? 'select' : type === 'password' ? 'password'
      : type === 'checkbox' || type === 'radio' ? 'checkbox' : type === 'file' ? 'file' : 'text';
    if (control === 'text' || control === 'password') {
      if (told.has(el) && !force) return;
      told.add(el);
    }
    const name = fieldName(el);
    const event = {kind: 'field', control, by: name.key, name: name.text, why: name.why || ''};
    if (control === 'checkbox') event.checked = el.checked;
    if (control === 'select' && !CATALOGUE.has(norm(name.text))) {
      const chosen = el.selectedOptions[0];
      event.option = chosen ? squash(chosen.textContent) : '';
    }
    send(event);
  };
  addEventListener('input', e => onField(e.target, false), true);
  addEventListener('change', e => onField(e.target, e.target.tagName !== 'INPUT'), true);

  let letThrough = null; // the element whose held click the person allowed
  addEventListener('click', e => {
    if (!e.target.closest || inToolbar(e.target)) return;
    const el = e.target.closest(`${BUTTONS}, ${LINKS}, [onclick]`);
    if (!el || el.matches(CONTROLS)) return;
    if (letThrough === el) { letThrough = null; return; }
    const name = clickName(el);
    const said = name.key === "role" ? name.text : name.name || "";
    const popup = el.closest(POPUPS);
    // A box that asks (ยืนยัน / ยกเลิก) makes its yes as irreversible as its words say; a
    // message box with one button (ตกลง under ยืนยันข้อมูลเรียบร้อย) only closes what was done.
    const asks = popup !== null && [...popup.querySelectorAll(BUTTONS)].filter(shown).length > 1;
    const event = {kind: 'click', by: name.key, role: name.role || null, name: name.text,
      why: name.why || '', irreversible: IRREVERSIBLE.test(`${said} ${asks ? popupWords(popup) : ''}`),
      popup: popup ? popupWords(popup) : null};
    if (HOLD && event.irreversible) {
      e.preventDefault();
      e.stopImmediatePropagation();
      send(Object.assign({held: true}, event)).then(allowed => {
        if (allowed) { letThrough = el; el.click(); }
      });
      return;
    }
    send(event);
  }, true);

  const popupWords = box => {
    const title = box.querySelector('.swal2-title, .modal-title, [role=heading], h1, h2, h3, h4, h5');
    return squash(title ? words(title) : words(box)).slice(0, 80);
  };

  // ---- marking an expected text: Ctrl+Shift+E or the toolbar ----------------------------
  const markExpect = () => {
    const selection = getSelection();
    const text = squash(selection ? selection.toString() : '');
    if (!text) { hint('เลือกข้อความบนหน้าก่อน แล้วกดอีกครั้ง (select the text first)'); return; }
    let box = selection.anchorNode;
    if (box && box.nodeType !== Node.ELEMENT_NODE) box = box.parentElement;
    const whole = box ? squash(box.innerText || box.textContent) === text : false;
    send({kind: 'expect', text, exact: whole});
    hint(`✓ ${text}`);
    selection.removeAllRanges();
  };
  addEventListener('keydown', e => {
    if (e.ctrlKey && e.shiftKey && (e.key === 'E' || e.key === 'e')) {
      e.preventDefault();
      markExpect();
    }
  }, true);

  let bar = null;
  let note = null;
  const inToolbar = el => bar !== null && (el === bar || bar.contains(el));
  const hint = text => { if (note) note.textContent = text; };
  const toolbar = () => {
    bar = document.createElement('edubot-recorder');
    bar.style.cssText = 'position:fixed;bottom:8px;right:8px;z-index:2147483647';
    const root = bar.attachShadow({mode: 'closed'});
    root.innerHTML = '<div style="font:13px sans-serif;background:#222;color:#fff;padding:6px 8px;'
      + 'border-radius:6px;opacity:.9">● edubot record <button type="button">'
      + 'ตรวจข้อความที่เลือก (expect)</button> <span></span></div>';
    note = root.querySelector('span');
    // mousedown keeps the page's selection, which a click on a button would clear.
    root.querySelector('button').addEventListener('mousedown', e => { e.preventDefault(); markExpect(); });
    document.documentElement.appendChild(bar);
  };

  const arrived = () => {
    const nav = performance.getEntriesByType('navigation')[0];
    send({kind: 'page', referrer: document.referrer, how: nav ? nav.type : 'navigate'});
    toolbar();
  };
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', arrived, {once: true});
  else arrived();
})();
