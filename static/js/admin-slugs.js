/* Slugs pre-filled by the admin (prepopulated_fields), Vietnamese-aware.
 *
 * Django's URLify drops the letters it has no ASCII for, so "Ninh Thuận" became "ninh-thun".
 * The server folds text before making a slug (meetings/slugs.py: diacritics removed, đ → d);
 * this does the same before handing the text to Django's URLify, so the slug the admin
 * proposes is the one the server would make: "Ninh Thuận" → "ninh-thuan", "Đà Nẵng" →
 * "da-nang". Loaded after admin/js/urlify.js, whose global it wraps.
 */
(function () {
    "use strict";
    const urlify = window.URLify;
    if (typeof urlify !== "function") {
        return;
    }

    function fold(text) {
        return text
            .normalize("NFD")
            .replace(/[\u0300-\u036f]/g, "")
            .replace(/đ/g, "d")
            .replace(/Đ/g, "D");
    }

    window.URLify = function (text, maxLength, allowUnicode) {
        return urlify(fold(String(text)), maxLength, allowUnicode);
    };
    window.URLify.fold = fold;
})();
