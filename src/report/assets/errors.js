window.resettleErrors = [];
window.addEventListener('error', function (e) { window.resettleErrors.push(String(e.message)); });
document.addEventListener('securitypolicyviolation', function (e) {
  window.resettleErrors.push('blocked ' + e.blockedURI);
});
(function () {
  var original = console.error;
  console.error = function () {
    window.resettleErrors.push(Array.prototype.join.call(arguments, ' '));
    return original.apply(console, arguments);
  };
})();
window.addEventListener('load', function () {
  var html = document.documentElement;
  html.setAttribute('data-errors', JSON.stringify(window.resettleErrors));
  html.setAttribute('data-charts', String(document.querySelectorAll('svg[data-chart]').length));
  html.setAttribute('data-rendered', 'yes');
});
