/* A small rich-text editor for the back-office's long fields.
 *
 * It turns <textarea data-rich-text> into a toolbar plus an editable area limited to
 * headings 2-4, paragraphs, lists, links, bold, italic and quotes. The textarea stays in
 * the form and receives the HTML on every change; the server sanitises it again (nh3), so
 * this script is a convenience, not a safety measure. Without JavaScript the textarea
 * works as it is.
 */
(function () {
  "use strict";

  // Each label starts with the visible text, so people who speak a button's name reach it.
  var BUTTONS = [
    { label: "H2, heading 2", text: "H2", command: "formatBlock", value: "h2" },
    { label: "H3, heading 3", text: "H3", command: "formatBlock", value: "h3" },
    { label: "H4, heading 4", text: "H4", command: "formatBlock", value: "h4" },
    { label: "Paragraph", text: "¶", command: "formatBlock", value: "p" },
    { label: "Bold", text: "B", command: "bold" },
    { label: "Italic", text: "I", command: "italic" },
    { label: "Bulleted list", text: "• List", command: "insertUnorderedList" },
    { label: "1. List, numbered", text: "1. List", command: "insertOrderedList" },
    { label: "Quote", text: "“ Quote", command: "formatBlock", value: "blockquote" },
    { label: "Link", text: "Link", command: "createLink" },
    { label: "Unlink (remove link)", text: "Unlink", command: "unlink" }
  ];

  function enhance(textarea) {
    if (textarea.dataset.richTextReady) return;
    textarea.dataset.richTextReady = "true";

    var toolbar = document.createElement("div");
    toolbar.className = "rich-text__toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting");
    toolbar.setAttribute("aria-controls", textarea.id + "-editor");

    var editor = document.createElement("div");
    editor.className = "rich-text__editor";
    editor.id = textarea.id + "-editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      label.id = label.id || textarea.id + "-label";
      editor.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { editor.focus(); });
    }
    editor.innerHTML = textarea.value.trim() || "<p><br></p>";

    function sync() {
      var html = editor.innerHTML;
      textarea.value = html === "<p><br></p>" || html === "<br>" ? "" : html;
    }

    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rich-text__button";
      button.textContent = spec.text;
      button.setAttribute("aria-label", spec.label);
      button.title = spec.label;
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () {
        editor.focus();
        var value = spec.value;
        if (spec.command === "createLink") {
          value = window.prompt("Web address for the link (https://…)", "https://");
          if (!value || !/^(https?:|mailto:|tel:)/i.test(value)) return;
        }
        if (spec.command === "formatBlock") value = "<" + value + ">";
        document.execCommand(spec.command, false, value);
        sync();
      });
      toolbar.appendChild(button);
    });

    editor.addEventListener("input", sync);
    editor.addEventListener("blur", sync);
    if (textarea.form) textarea.form.addEventListener("submit", sync);

    textarea.hidden = true;
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(editor, textarea);
  }

  function start() {
    try {
      document.execCommand("defaultParagraphSeparator", false, "p");
      document.execCommand("styleWithCSS", false, false);
    } catch (error) { /* older browsers: their defaults are fine */ }
    document.querySelectorAll("textarea[data-rich-text]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
