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
