// jikenbo search: reads the bigram index under search/ (format: src/output/search.rs) and shows
// the notices that contain the query. No framework, no build step. Every URL comes from the
// data-* attributes of #search-results (rendered by jikenbo under the site's base path), and
// notice text is only ever put into the page as text nodes.
(function () {
  "use strict";
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = {};
  for (var i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charAt(i)] = i;
  var KINDS = ["vector", "year", "label"];
  var SPACE = /[\s\u0085\u200b\u2060]/g;
  var INDEXABLE, HAN, CLUSTER;
  try {
    // Built from strings so that the script still parses where property escapes are missing.
    INDEXABLE = new RegExp("^[\\p{Alphabetic}\\p{N}]$", "u");
    HAN = new RegExp("^(?:[\\u3005\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff]|[\\u{20000}-\\u{3134f}])$", "u");
    CLUSTER = new RegExp("[\\s\\S][\\p{M}\\uff9e\\uff9f]*", "gu");
  } catch (e) {
    INDEXABLE = /^[0-9A-Za-z\u00c0-\u024f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff10-\uff5a]$/;
    HAN = /^[\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]$/;
    CLUSTER = /[\s\S][\u0300-\u036f\u3099\u309a\uff9e\uff9f]*/g;
  }

  /** NFKC, lower case, no whitespace: the same as `normalize` in search.rs. */
  function normalize(s) {
    return s.normalize("NFKC").toLowerCase().replace(SPACE, "");
  }

  /** The index keys of a normalized query (mirrors `query_keys` in search.rs). */
  function queryKeys(nq, max) {
    var chars = Array.from(nq);
    var keys = [];
    for (var i = 0; i + 1 < chars.length; i++) {
      if (INDEXABLE.test(chars[i]) && INDEXABLE.test(chars[i + 1])) {
        var k = chars[i] + chars[i + 1];
        if (keys.indexOf(k) < 0) keys.push(k);
      }
    }
    if (!keys.length) {
      chars.forEach(function (c) {
        if (HAN.test(c) && keys.indexOf(c) < 0) keys.push(c);
      });
    }
    if (keys.length > max) {
      var n = keys.length;
      var picked = [];
      for (var j = 0; j < max; j++) picked.push(keys[Math.floor((j * (n - 1)) / (max - 1))]);
      keys = picked;
    }
    return keys;
  }

  /** FNV-1a of the key's UTF-8 bytes, modulo the shard count (`shard_of` in search.rs). */
  function shardOf(key, shards) {
    var bytes = new TextEncoder().encode(key);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    return (h >>> 0) % shards;
  }

  /** Postings string → sorted notice numbers (`decode_postings` in search.rs). */
  function decode(s) {
    var out = [];
    var k, v;
    if (s.charAt(0) === "~") {
      for (k = 1; k < s.length; k++) {
        v = VALUE[s.charAt(k)];
        for (var j = 0; j < 6; j++) if (v & (1 << j)) out.push((k - 1) * 6 + j);
      }
      return out;
    }
    var acc = 0, shift = 0, prev = -1;
    for (k = 0; k < s.length; k++) {
      v = VALUE[s.charAt(k)];
      acc += (v & 31) * Math.pow(2, shift);
      if (v & 32) { shift += 5; continue; }
      var d = prev < 0 ? acc : prev + acc + 1;
      out.push(d);
      prev = d;
      acc = 0;
      shift = 0;
    }
    return out;
  }

  function intersect(a, b) {
    var out = [];
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; }
      else if (a[i] < b[j]) i++;
      else j++;
    }
    return out;
  }

  /** A field's normalized text, with each normalized code unit's span in the original. */
  function prepare(text) {
    var norm = "";
    var start = [];
    var end = [];
    var m;
    CLUSTER.lastIndex = 0;
    while ((m = CLUSTER.exec(text)) !== null) {
      var n = normalize(m[0]);
      for (var k = 0; k < n.length; k++) {
        start.push(m.index);
        end.push(m.index + m[0].length);
      }
      norm += n;
    }
    return { text: text, norm: norm, start: start, end: end };
  }

  /** Where the normalized query occurs in a prepared field, as [from, to) of the original. */
  function find(p, nq) {
    var out = [];
    if (!nq) return out;
    var at = p.norm.indexOf(nq);
    while (at >= 0) {
      out.push([p.start[at], p.end[at + nq.length - 1]]);
      at = p.norm.indexOf(nq, at + nq.length);
    }
    return out;
  }

  function h(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** Appends `text` to `el` with <mark> around `ranges` (sorted, as text nodes only). */
  function marked(el, text, ranges) {
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] < at) return;
      if (r[0] > at) el.appendChild(document.createTextNode(text.slice(at, r[0])));
      el.appendChild(h("mark", "", text.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
    return el;
  }

  function isLow(c) { return c >= 0xdc00 && c <= 0xdfff; }

  /** A window of the body around the first match, with the matches inside it. */
  function snippet(text, ranges) {
    if (!ranges.length) {
      var cut = Math.min(text.length, 120);
      if (cut < text.length && isLow(text.charCodeAt(cut))) cut++;
      return { text: text.slice(0, cut) + (cut < text.length ? "…" : ""), ranges: [] };
    }
    var from = Math.max(0, ranges[0][0] - 40);
    var to = Math.min(text.length, ranges[0][1] + 80);
    if (from > 0 && isLow(text.charCodeAt(from))) from--;
    if (to < text.length && isLow(text.charCodeAt(to))) to++;
    var lead = from > 0 ? "…" : "";
    var shifted = ranges
      .filter(function (r) { return r[0] >= from && r[1] <= to; })
      .map(function (r) { return [r[0] - from + lead.length, r[1] - from + lead.length]; });
    return { text: lead + text.slice(from, to) + (to < text.length ? "…" : ""), ranges: shifted };
  }

  /** The matches of a notice, or null when it does not really contain the query. */
  function check(doc, nq) {
    var title = find(prepare(doc.title), nq);
    var org = doc.org ? find(prepare(doc.org), nq) : [];
    var body = find(prepare(doc.text), nq);
    var tags = (doc.vectors || []).concat(doc.labels || []).some(function (t) {
      return normalize(t.key).indexOf(nq) >= 0 || normalize(t.name).indexOf(nq) >= 0;
    });
    if (nq && !title.length && !org.length && !body.length && !tags) return null;
    return { title: title, org: org, body: body };
  }

  function init() {
    var box = document.getElementById("search-results");
    var form = document.getElementById("search-form");
    if (!box || !form) return;
    var cfg = box.dataset;
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-list");
    var more = document.getElementById("search-more");
    var selects = {};
    KINDS.forEach(function (k) { selects[k] = form.elements[k]; });
    var metaPromise = null;
    var cache = {};
    var current = 0;
    var state = null;

    function ok(r) {
      if (!r.ok) throw new Error(r.status + " " + r.url);
      return r.json();
    }
    function meta() {
      if (!metaPromise) {
        metaPromise = fetch(cfg.meta, { cache: "no-cache" }).then(ok);
        metaPromise.catch(function () { metaPromise = null; });
      }
      return metaPromise;
    }
    function json(url) {
      if (!cache[url]) {
        cache[url] = fetch(url).then(ok);
        cache[url].catch(function () { delete cache[url]; });
      }
      return cache[url];
    }
    function say(text) {
      status.textContent = text;
    }
    function t(name, n) {
      return (cfg["t" + name] || "").replace("{n}", String(n));
    }

    function filterValues() {
      var f = {};
      KINDS.forEach(function (k) { if (selects[k] && selects[k].value) f[k] = selects[k].value; });
      return f;
    }

    function updateUrl(q, f) {
      var p = new URLSearchParams();
      if (q.trim()) p.set("q", q.trim());
      KINDS.forEach(function (k) { if (f[k]) p.set(k, f[k]); });
      var s = p.toString();
      try {
        history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
      } catch (e) {}
    }

    function render(doc, m) {
      var art = h("article", "card search-result");
      var h3 = h("h3", "card-title");
      var a = h("a");
      a.href = doc.url;
      h3.appendChild(marked(a, doc.title, m.title));
      art.appendChild(h3);
      var line = h("p", "card-meta");
      if (doc.date) {
        var time = h("time", "", doc.date);
        time.setAttribute("datetime", doc.date);
        line.appendChild(time);
      }
      if (doc.org) line.appendChild(marked(h("span", "org"), doc.org, m.org));
      art.appendChild(line);
      if ((doc.vectors && doc.vectors.length) || (doc.labels && doc.labels.length)) {
        var tags = h("p", "tags");
        (doc.vectors || []).forEach(function (v) {
          var e = h("a", "tag vector", v.name);
          e.href = v.url;
          tags.appendChild(e);
        });
        (doc.labels || []).forEach(function (l) {
          var e = h("a", "tag label", l.name);
          e.href = l.url;
          tags.appendChild(e);
        });
        art.appendChild(tags);
      }
      var s = snippet(doc.text || "", m.body);
      if (s.text) art.appendChild(marked(h("p", "summary snippet"), s.text, s.ranges));
      list.appendChild(art);
    }

    function showCount(st) {
      var left = st.cands.length - st.rejected;
      if (!left) say(t("None"));
      else say(st.pos >= st.cands.length ? t("Count", left) : t("About", left));
      more.hidden = st.pos >= st.cands.length;
    }

    /** Shows the next page: fetches candidates in order, keeps those that really match. */
    // The notice's text comes from its own page (the index does not copy bodies: at archive
    // scale that would double the site). DOMParser runs no script of the fetched page.
    function withText(doc) {
      if (doc.text !== undefined) return doc;
      return fetch(doc.url).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + r.url);
        return r.text();
      }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var body = page.querySelector("[data-search-text]") || page.querySelector("main") || page.body;
        doc.text = body ? body.textContent.replace(/\s+/g, " ").trim() : "";
        return doc;
      });
    }

    function nextPage(st) {
      var page = st.meta.page || 10;
      var need = page;
      var fetched = 0;
      more.hidden = true;
      function step() {
        if (st.token !== current) return undefined;
        if (need <= 0 || st.pos >= st.cands.length || fetched >= 3 * page) {
          showCount(st);
          return undefined;
        }
        var batch = st.cands.slice(st.pos, st.pos + need);
        st.pos += batch.length;
        fetched += batch.length;
        return Promise.all(batch.map(function (n) {
          var per = st.meta.docs_per_file || 1;
          return json(cfg.docs + Math.floor(n / per) + ".json?v=" + st.meta.gen).then(function (chunk) {
            // Entries are shared by the chunk's requests: copy before adding the text.
            return withText(Object.assign({}, per > 1 ? chunk[n % per] : chunk));
          });
        })).then(function (docs) {
          if (st.token !== current) return undefined;
          docs.forEach(function (doc) {
            var m = check(doc, st.nq);
            if (m) { render(doc, m); need--; } else st.rejected++;
          });
          return step();
        });
      }
      return step();
    }

    function run() {
      var token = ++current;
      var q = input.value;
      var nq = normalize(q);
      var f = filterValues();
      updateUrl(q, f);
      list.textContent = "";
      more.hidden = true;
      state = null;
      var filtered = Object.keys(f).length > 0;
      if (!nq && !filtered) { say(t("Hint")); return; }
      var keys = [];
      if (nq) {
        keys = queryKeys(nq, 8);
        if (!keys.length) { say(t("Short")); return; }
      }
      say(t("Loading"));
      meta().then(function (m) {
        keys = nq ? queryKeys(nq, m.max_keys || 8) : [];
        var lists = keys.map(function (k) {
          var hex = ("00" + shardOf(k, m.shards).toString(16)).slice(-3);
          return json(cfg.index + hex + ".json?v=" + m.gen).then(function (shard) {
            return Object.prototype.hasOwnProperty.call(shard, k) ? decode(shard[k]) : [];
          });
        });
        KINDS.forEach(function (kind) {
          if (!f[kind]) return;
          var at = (m.filters[kind] || []).map(function (e) { return e[0]; }).indexOf(f[kind]);
          lists.push(at < 0 ? Promise.resolve([]) :
            json(cfg.filters + kind + "/" + at + ".json?v=" + m.gen).then(decode));
        });
        return Promise.all(lists).then(function (ls) {
          if (token !== current) return undefined;
          ls.sort(function (a, b) { return a.length - b.length; });
          var cands = ls.reduce(intersect);
          state = { token: token, meta: m, nq: nq, cands: cands, pos: 0, rejected: 0 };
          return nextPage(state);
        });
      }).catch(function (e) {
        if (token !== current) return;
        say(t("Error"));
        if (window.console) console.error(e);
      });
    }

    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    KINDS.forEach(function (k) {
      var v = params.get(k);
      var sel = selects[k];
      if (!v || !sel) return;
      for (var i = 0; i < sel.options.length; i++) {
        if (sel.options[i].value === v) sel.value = v;
      }
    });
    var timer = null;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      run();
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 300);
    });
    KINDS.forEach(function (k) { if (selects[k]) selects[k].addEventListener("change", run); });
    more.addEventListener("click", function () { if (state && state.token === current) nextPage(state); });
    // The header box on this page searches in place too.
    var header = document.querySelector(".site-header .search-box");
    if (header && header.tagName === "FORM") {
      header.addEventListener("submit", function (ev) {
        ev.preventDefault();
        input.value = header.elements.q.value;
        header.elements.q.value = "";
        run();
      });
    }
    run();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
