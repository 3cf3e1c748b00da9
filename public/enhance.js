// Progressive enhancement only: every page works without this file.
document.addEventListener('submit', (event) => {
  const form = event.target;
  const submitter = event.submitter;
  const message = submitter?.getAttribute('data-confirm') || form.getAttribute('data-confirm');
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener('click', (event) => {
  const target = event.target.closest('[data-print]');
  if (target) {
    event.preventDefault();
    window.print();
  }
});
window.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
});

// Live preview: a form marked data-live-preview="ID" re-renders region ID from the server's own
// preview (op=preview) while it is edited. The same form still previews on submit without JS.
const liveForm = document.querySelector('form[data-live-preview]');
if (liveForm) {
  const regionId = liveForm.getAttribute('data-live-preview');
  let timer;
  let latest = 0;
  const refresh = async () => {
    const body = new URLSearchParams(new FormData(liveForm));
    body.set('op', 'preview');
    const mine = ++latest;
    try {
      const response = await fetch(liveForm.action, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { accept: 'text/html' },
      });
      const html = await response.text();
      if (mine !== latest) return;
      const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(regionId);
      const current = document.getElementById(regionId);
      if (fresh && current) current.innerHTML = fresh.innerHTML;
    } catch {
      // Offline or refused: the preview button still works.
    }
  };
  liveForm.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  });
}
