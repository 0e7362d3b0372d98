// The meeting list's filters sit in a <details> (templates/meetings/meeting_list.html), closed
// so that on a phone the results come first. Where there is room beside the results, open it.
document.addEventListener("DOMContentLoaded", function () {
  var wide = window.matchMedia("(min-width: 52rem)");
  var panel = document.querySelector("details.list-sidebar");
  if (panel && wide.matches) {
    panel.open = true;
  }
});
