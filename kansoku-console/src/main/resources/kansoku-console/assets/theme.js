// Before the first paint, so a dark-theme user never sees a light flash. A file, not an inline
// script: the console's Content-Security-Policy allows scripts from this origin only.
document.documentElement.dataset.theme = localStorage.getItem('kansoku.theme')
  || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
