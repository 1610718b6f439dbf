// murmur's talk page: pick a bot from /v1/models, stream its tweets from /v1/completions.
// Plain JavaScript, no build step, nothing from another host. Every text from the server or the
// user reaches the page through textContent, never as HTML.
"use strict";

(function () {
  const EOS = "<|endoftext|>";
  // huggingtweets' sampling (murmur.core.generation): top_p 0.95, temperature 1.0. No max_tokens: the server
  // then stops at huggingtweets' 160 tokens in all, prompt included, as /generate does.
  const SAMPLING = { top_p: 0.95, temperature: 1.0 };
  const MAX_LISTED = 100; // options drawn at once; the search narrows the rest
  const AVATAR_COLOURS = 8; // .c0 ... .c7 in style.css, same arithmetic as webpage.py
  // Where the endpoint needs one: kept in this tab's sessionStorage, gone when the tab closes
  // (localStorage would keep it on disk for any script of this origin, for good).
  const KEY_STORAGE = "murmur.apiKey";

  // ---- helpers shared with the card page ------------------------------------------------------

  // An avatar picture that fails to load (X's host unreachable, a stale URL) leaves the initials.
  document.addEventListener(
    "error",
    (event) => {
      const el = event.target;
      if (el instanceof HTMLImageElement && el.hasAttribute("data-fallback")) el.remove();
    },
    true,
  );
  function dropBrokenImages() {
    for (const img of document.querySelectorAll("img[data-fallback]")) {
      if (img.complete && img.naturalWidth === 0) img.remove();
    }
  }

  function colourClass(handle) {
    let sum = 0;
    for (const ch of handle) sum += ch.codePointAt(0);
    return "c" + (sum % AVATAR_COLOURS);
  }

  function initials(displayName, handle) {
    const words = displayName
      .replace(/_/g, " ")
      .split(/\s+/)
      .filter((w) => /^[\p{L}\p{N}]/u.test(w));
    const letters = words
      .slice(0, 2)
      .map((w) => Array.from(w)[0])
      .join("");
    return (letters || Array.from(handle)[0] || "?").toUpperCase();
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function avatar(person) {
    const span = el("span", "avatar " + colourClass(person.handle), initials(person.name, person.handle));
    span.setAttribute("aria-hidden", "true");
    if (person.avatarUrl && /^https:\/\/[^'"<>()\s\\]+$/.test(person.avatarUrl)) {
      const img = el("img");
      img.alt = "";
      img.loading = "lazy";
      img.setAttribute("data-fallback", "");
      img.src = person.avatarUrl;
      span.append(img);
    }
    return span;
  }

  // huggingtweets' cut, as murmur.core.generation.cut_generation: drop the EOS prefix, stop at the next
  // EOS or newline, strip.
  function cutGeneration(text) {
    if (text.startsWith(EOS)) text = text.slice(EOS.length);
    text = text.split(EOS, 1)[0];
    return text.split("\n", 1)[0].trim();
  }

  // ---- the API key, where the endpoint asks for one (murmur serve --api-keys-file) -------------

  // Storage can be refused (private windows, blocked cookies): then the key lasts for the page.
  let pageKey = "";
  function storedKey() {
    try {
      return sessionStorage.getItem(KEY_STORAGE) || pageKey;
    } catch (_) {
      return pageKey;
    }
  }
  function storeKey(key) {
    pageKey = key;
    try {
      if (key) sessionStorage.setItem(KEY_STORAGE, key);
      else sessionStorage.removeItem(KEY_STORAGE);
    } catch (_) {
      /* the key lasts for this page only */
    }
  }
  // Request headers with the key, when there is one: an open endpoint gets none.
  function withKey(headers) {
    const key = storedKey();
    return key ? { ...headers, Authorization: "Bearer " + key } : headers;
  }

  // ---- bots -----------------------------------------------------------------------------------

  // One bot from /v1/models, with the fields the page uses, tolerant of missing ones.
  function toBot(item) {
    const handles = Array.isArray(item.handles) && item.handles.length ? item.handles : item.id.split("-");
    const names = Array.isArray(item.display_names) ? item.display_names : [];
    const avatars = Array.isArray(item.avatar_urls) ? item.avatar_urls : [];
    const people = handles.map((handle, i) => ({
      handle: String(handle),
      name: String(names[i] || handle),
      avatarUrl: typeof avatars[i] === "string" ? avatars[i] : null,
    }));
    const bot = {
      id: String(item.id),
      people,
      cyborg: people.length > 1,
      names: people.map((p) => p.name).join(" & "),
      handles: people.map((p) => "@" + p.handle).join(" "),
    };
    bot.searchText = [bot.id, bot.names, bot.handles].join(" ").toLowerCase();
    return bot;
  }

  function badgeText(bot) {
    return bot.cyborg ? "🤖 AI CYBORG" : "🤖 AI BOT";
  }

  function botIdentity(bot, nameTag) {
    const box = el("div", "identity");
    const avatars = el("div", "avatars");
    for (const p of bot.people) avatars.append(avatar(p));
    const words = el("div", "identity-words");
    const nameLine = el("div", "name-line");
    nameLine.append(el(nameTag || "span", "bot-name", bot.names), el("span", "badge", badgeText(bot)));
    words.append(nameLine, el("div", "handles", bot.handles));
    box.append(avatars, words);
    return box;
  }

  // ---- the talk page --------------------------------------------------------------------------

  function startTalkPage() {
    const ui = {
      search: document.getElementById("bot-search"),
      count: document.getElementById("bot-count"),
      list: document.getElementById("bot-list"),
      chosen: document.getElementById("chosen"),
      form: document.getElementById("talk"),
      prompt: document.getElementById("prompt"),
      howMany: document.getElementById("count"),
      generate: document.getElementById("generate"),
      message: document.getElementById("message"),
      tweets: document.getElementById("tweets"),
      keyForm: document.getElementById("key-form"),
      keyInput: document.getElementById("api-key"),
      keyNote: document.getElementById("key-note"),
    };
    const state = { bots: [], selected: null, running: null };

    function showMessage(text) {
      ui.message.textContent = text;
      ui.message.hidden = !text;
    }

    function renderList() {
      const query = ui.search.value.trim().toLowerCase().replace(/^@/, "");
      const matches = query ? state.bots.filter((b) => b.searchText.includes(query)) : state.bots;
      ui.list.replaceChildren();
      for (const bot of matches.slice(0, MAX_LISTED)) {
        const li = el("li");
        const option = el("button", "bot-option");
        option.type = "button";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", String(!!state.selected && state.selected.id === bot.id));
        option.dataset.model = bot.id;
        option.append(botIdentity(bot));
        option.addEventListener("click", () => select(bot, true));
        li.append(option);
        ui.list.append(li);
      }
      const total = state.bots.length;
      if (!total) ui.count.textContent = "No bots are published yet: train one with `murmur train`.";
      else if (!matches.length) ui.count.textContent = `No bot matches “${ui.search.value.trim()}”.`;
      else if (matches.length > MAX_LISTED)
        ui.count.textContent = `${matches.length} of ${total} bots match; showing ${MAX_LISTED}, type to narrow.`;
      else if (query) ui.count.textContent = `${matches.length} of ${total} bots match.`;
      else ui.count.textContent = `${total} bot${total === 1 ? "" : "s"}.`;
    }

    function select(bot, fromClick) {
      state.selected = bot;
      ui.chosen.replaceChildren();
      if (bot) {
        ui.chosen.append(botIdentity(bot, "strong"));
        const card = el("a", "card-link", "Model card");
        card.href = "/models/" + encodeURIComponent(bot.id);
        ui.chosen.append(card);
        if (fromClick) history.replaceState(null, "", "?model=" + encodeURIComponent(bot.id));
      } else {
        ui.chosen.append(el("p", "muted", "Pick a bot from the list."));
      }
      ui.generate.disabled = !bot;
      for (const option of ui.list.querySelectorAll(".bot-option")) {
        const chosen = !!bot && option.dataset.model === bot.id;
        option.setAttribute("aria-selected", String(chosen));
        // Scroll the list (not the page) to the chosen bot, e.g. one named in ?model=.
        if (chosen && !fromClick) ui.list.scrollTop = option.offsetTop - ui.list.offsetTop;
      }
    }

    function askForKey() {
      ui.keyNote.textContent = storedKey()
        ? "The API key was refused: enter a valid one."
        : "This endpoint needs an API key. It stays in this browser.";
      ui.keyForm.hidden = false;
      ui.keyInput.focus();
    }

    function useKey(event) {
      event.preventDefault();
      storeKey(ui.keyInput.value.trim());
      ui.keyInput.value = "";
      showMessage("");
      loadBots();
    }

    async function loadBots() {
      let body;
      try {
        const response = await fetch("/v1/models", { headers: withKey({ Accept: "application/json" }) });
        if (response.status === 401) {
          ui.count.textContent = "Enter the endpoint's API key to see the bots.";
          askForKey();
          return;
        }
        if (!response.ok) throw new Error(await explain(response, null));
        ui.keyForm.hidden = true;
        body = await response.json();
      } catch (err) {
        ui.count.textContent = "Could not load the bots.";
        showMessage(err instanceof TypeError ? networkMessage() : err.message);
        return;
      }
      state.bots = (Array.isArray(body.data) ? body.data : []).filter((m) => m && m.id).map(toBot);
      // The bot named in ?model= (or the one chosen before a reload), else the first one.
      const wanted = new URLSearchParams(location.search).get("model") || (state.selected && state.selected.id);
      const found = wanted ? state.bots.find((b) => b.id === wanted) : state.bots[0];
      renderList();
      select(found || null, false);
      if (wanted && !found && ui.message.hidden) {
        showMessage(`No bot named “${wanted}” is published here: pick one from the list.`);
      }
    }

    function networkMessage() {
      return "Could not reach the server. Check your connection and try again.";
    }

    function formatDetail(detail) {
      if (typeof detail === "string") return detail;
      if (Array.isArray(detail)) {
        return detail
          .map((d) => {
            const where = Array.isArray(d.loc) ? d.loc.filter((p) => p !== "body").join(".") : "";
            return (where ? where + ": " : "") + (d.msg || JSON.stringify(d));
          })
          .join("; ");
      }
      if (detail && typeof detail === "object") return detail.message || JSON.stringify(detail);
      return "";
    }

    // A sentence for a refused request, with the server's own words where it gives them.
    async function explain(response, bot) {
      let detail = "";
      try {
        const body = await response.json();
        detail = formatDetail(body.detail !== undefined ? body.detail : body.error || body.message);
      } catch (_) {
        /* not JSON: the status says enough */
      }
      switch (response.status) {
        case 404:
          return bot
            ? `No bot named “${bot.id}” is published any more. It may have been deleted: pick another one.`
            : "Not found" + (detail ? ": " + detail : ".");
        case 401:
          return "The endpoint needs a valid API key: enter it above the bots.";
        case 422:
        case 400:
          return "The server refused the request: " + (detail || "invalid input.");
        case 429:
        case 503:
          return "The bots are busy, try again in a moment.";
        default:
          return `The server failed (HTTP ${response.status})` + (detail ? ": " + detail : ".");
      }
    }

    // Server-sent events from a fetch body: calls onData with each parsed `data:` payload and
    // returns true once `data: [DONE]` arrives (false if the stream ended without it).
    async function readEvents(response, onData) {
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
        let end;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split("\n")
            .filter((line) => line.startsWith("data:"))
            .map((line) => line.slice(5).replace(/^ /, ""))
            .join("\n");
          if (!data) continue;
          if (data === "[DONE]") return true;
          onData(JSON.parse(data));
        }
      }
    }

    function tweetCard(bot, index) {
      const card = el("article", "tweet streaming");
      card.dataset.index = String(index);
      const avatars = el("div", "avatars");
      for (const p of bot.people) avatars.append(avatar(p));
      const body = el("div", "tweet-body");
      const head = el("div", "tweet-head");
      const name = el("a", "bot-name", bot.names);
      name.href = "/models/" + encodeURIComponent(bot.id);
      head.append(name, el("span", "badge", badgeText(bot)));
      const text = el("p", "tweet-text");
      body.append(head, el("div", "handles", bot.handles), text);
      card.append(avatars, body);
      return { card, text, raw: "", done: false };
    }

    async function generate(event) {
      event.preventDefault();
      const bot = state.selected;
      if (!bot) return showMessage("Pick a bot first.");
      if (state.running) state.running.abort();
      const controller = new AbortController();
      state.running = controller;
      const prompt = ui.prompt.value;
      const n = Number(ui.howMany.value); // the server checks the limits and says them
      showMessage("");
      ui.generate.disabled = true;
      ui.generate.textContent = "Writing…";
      ui.tweets.setAttribute("aria-busy", "true");
      let cards = [];
      try {
        const response = await fetch("/v1/completions", {
          method: "POST",
          headers: withKey({ "Content-Type": "application/json", Accept: "text/event-stream" }),
          body: JSON.stringify({ model: bot.id, prompt, n, stream: true, ...SAMPLING }),
          signal: controller.signal,
        });
        if (!response.ok) {
          showMessage(await explain(response, bot));
          if (response.status === 404) loadBots();
          if (response.status === 401) askForKey();
          return;
        }
        ui.tweets.replaceChildren();
        cards = Array.from({ length: n }, (_, i) => tweetCard(bot, i));
        for (const c of cards) ui.tweets.append(c.card);
        const finished = await readEvents(response, (chunk) => {
          if (chunk.error) throw new Error(formatDetail(chunk.error) || "generation failed");
          for (const choice of chunk.choices || []) {
            const c = cards[choice.index];
            if (!c) continue;
            c.raw += choice.text || "";
            c.text.textContent = cutGeneration(prompt + c.raw); // live, cut as it will end
            if (choice.finish_reason) c.done = true;
          }
        });
        if (!finished) showMessage("The connection dropped before the bots finished; here is what they wrote so far.");
      } catch (err) {
        if (err.name === "AbortError") return;
        showMessage(err instanceof TypeError ? networkMessage() : "Generation failed: " + err.message);
      } finally {
        for (const c of cards) {
          c.text.textContent = cutGeneration(prompt + c.raw);
          c.card.classList.remove("streaming");
        }
        if (state.running === controller) {
          state.running = null;
          ui.generate.disabled = !state.selected;
          ui.generate.textContent = "Generate";
          ui.tweets.removeAttribute("aria-busy");
        }
      }
    }

    ui.search.addEventListener("input", renderList);
    ui.form.addEventListener("submit", generate);
    ui.keyForm.addEventListener("submit", useKey);
    loadBots();
  }

  function start() {
    dropBrokenImages();
    if (document.getElementById("talk")) startTalkPage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
