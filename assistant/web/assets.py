"""The page's own style and script: colours that pass axe, and markers that open their source card."""

from __future__ import annotations

from assistant.web.guide_pages import BLOCK_CSS

CSS = """
button.primary, #ask { background: #1d4f91 !important; border-color: #1d4f91 !important; color: #fff !important; }
.source-card { border: 1px solid #8a8a8a; border-radius: 6px; padding: 8px 10px; margin: 6px 0; }
.source-card summary { cursor: pointer; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; background: #1d4f91; color: #fff;
         font-size: 0.85em; margin-right: 4px; }
.source-text { white-space: pre-wrap; margin-top: 6px; }
.show-in-guide { margin-top: 8px; }
.show-in-guide .context, .show-in-guide .context-cited { white-space: pre-wrap; margin: 6px 0; padding-left: 8px;
  border-left: 3px solid #c8c8c8; }
.show-in-guide .context-cited { border-left-color: #1d4f91; }
.show-in-guide mark { background: #fff3b0; color: #111; }
button[role="tab"].selected, button[role="tab"][aria-selected="true"] { color: #1d4f91 !important; }
""" + BLOCK_CSS


# Clicking a marker such as [2] in the latest answer opens source card 2 and scrolls to it.
CITE_JS = """
() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#source-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const card = document.getElementById(link.getAttribute('href').slice(1));
    if (!card) return;
    const details = card.querySelector('details');
    if (details) details.open = true;
    card.scrollIntoView({behavior: 'smooth', block: 'center'});
    const summary = card.querySelector('summary');
    if (summary) summary.focus({preventScroll: true});
  }, true);
  // Gradio's table nests its tick boxes in a role=button wrapper and leaves them unnamed, and labels a
  // lock icon with no role: repair both so that screen readers announce each tick with its item.
  const nameTicks = () => {
    document.querySelectorAll('#prep-table .wrapper[aria-label]:not([role]), div.empty[aria-label]:not([role])')
      .forEach((el) => el.setAttribute('role', 'img'));
    document.querySelectorAll('#prep-table .select-all-checkbox[role], #prep-table .bool-cell[role]')
      .forEach((el) => {
        el.removeAttribute('role');
        el.removeAttribute('aria-label');
        const box = el.querySelector('input[type="checkbox"]');
        if (!box) return;
        if (el.classList.contains('select-all-checkbox')) {
          box.setAttribute('aria-label', 'Tick every item');
          return;
        }
        const cell = el.closest('[data-testid^="cell-"]');
        const row = cell ? cell.getAttribute('data-testid').split('-')[1] : '';
        const item = document.querySelector(`#prep-table [data-testid="cell-${row}-2"]`);
        box.setAttribute('aria-label', 'Done: ' + (item ? item.innerText.trim().slice(0, 80) : 'this item'));
      });
  };
  new MutationObserver(nameTicks).observe(document.body,
    {childList: true, subtree: true, attributes: true, attributeFilter: ['role']});
}
"""
