/*
 * The college's one browser-only store, shared by the quiz progress and the CPD record.
 *
 * Everything is kept in this browser's local storage under names that start with "open-college-"; nothing is sent
 * anywhere. Each part of the site keeps its own named item (for example "progress" or "cpd-record"), so forgetting
 * one never deletes the other. If storage is disabled or full, reading gives the fallback and saving reports false,
 * so the pages still work without keeping anything.
 */
(function () {
  "use strict";

  var PREFIX = "open-college-";

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; /* storage blocked by the browser's settings */
    }
  }

  window.OpenCollegeStore = {
    prefix: PREFIX,

    /* The stored value of a named item, or the fallback if there is none or it cannot be read. */
    load: function (name, fallback) {
      var store = storage();
      if (!store) {
        return fallback;
      }
      try {
        var text = store.getItem(PREFIX + name);
        return text === null ? fallback : JSON.parse(text);
      } catch (error) {
        return fallback;
      }
    },

    /* Save a named item; false if it could not be kept (storage disabled or full). */
    save: function (name, value) {
      var store = storage();
      if (!store) {
        return false;
      }
      try {
        store.setItem(PREFIX + name, JSON.stringify(value));
        return true;
      } catch (error) {
        return false;
      }
    },

    /* Delete a named item. */
    forget: function (name) {
      var store = storage();
      if (store) {
        try {
          store.removeItem(PREFIX + name);
        } catch (error) {
          /* nothing stored */
        }
      }
    },

    /* Whether this browser will keep anything at all. */
    available: function () {
      var store = storage();
      if (!store) {
        return false;
      }
      try {
        store.setItem(PREFIX + "probe", "1");
        store.removeItem(PREFIX + "probe");
        return true;
      } catch (error) {
        return false;
      }
    }
  };
})();
