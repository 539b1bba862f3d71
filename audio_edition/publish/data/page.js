// The listening page's only script: captions from a page opened from disk,
// chapter links that seek their episode's player, the chapter being heard
// marked, the caption being heard shown, and the feed address shown in full. Without it the page still works
// when served, and a chapter link opens the MP3 at that time.
"use strict";

// Browsers refuse to load a caption track from a file: URL ('file:' URLs are
// unique security origins), so a page opened from disk gives each track the
// copy of its WebVTT file that the page carries; served pages use the file.
// The markup names the file in data-src, not src: a browser that started
// loading it before this script ran would report the refusal as an error.
// The word timings (a metadata track) are used only on a served page.
for (const track of document.querySelectorAll("track[data-src]")) {
  const copy = track.dataset.inline && document.getElementById(track.dataset.inline);
  if (location.protocol === "file:" && "words" in track.dataset) {
    track.remove();
    continue;
  }
  track.src = location.protocol === "file:" && copy
    ? URL.createObjectURL(new Blob([copy.textContent], {type: "text/vtt"}))
    : track.dataset.src;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-start]");
  const audio = link && document.getElementById(link.dataset.player);
  if (!audio) return;
  event.preventDefault();
  audio.currentTime = Number(link.dataset.start);
  // A browser may refuse to play (autoplay policy, no audio device); the
  // player has moved to the chapter anyway and its own button still plays.
  const playing = audio.play();
  if (playing) playing.catch(() => {});
});

for (const audio of document.querySelectorAll("audio[data-chapters]")) {
  const list = document.getElementById(audio.dataset.chapters);
  if (!list) continue;
  const links = Array.from(list.querySelectorAll("a[data-start]"));
  const mark = () => {
    let current = null;
    for (const link of links) {
      if (Number(link.dataset.start) <= audio.currentTime + 0.001) current = link;
    }
    for (const link of links) {
      if (link === current) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
  };
  audio.addEventListener("timeupdate", mark);
  audio.addEventListener("seeked", mark);
}

// A browser draws no captions for an <audio> element: the cue being heard is
// shown as text under the player instead. With word timings, each word is a
// span marked "said" once the player has reached it.
const seconds = (stamp) => stamp.split(":").reduce((total, part) => total * 60 + Number(part), 0);

function showWords(box, cue) {
  box.textContent = "";
  // The cue's text, split at its <hh:mm:ss.ttt> timestamps; each piece starts when its stamp says.
  const pieces = cue.text.split(/<(\d\d:\d\d:\d\d\.\d\d\d)>/);
  const holder = document.createElement("template");
  let at = cue.startTime;
  pieces.forEach((piece, i) => {
    if (i % 2 === 1) { at = seconds(piece); return; }
    if (!piece) return;
    holder.innerHTML = piece;  // the cue's own escapes (&amp;) decoded; no markup is kept
    const span = document.createElement("span");
    span.className = "word";
    span.dataset.t = String(at);
    span.textContent = holder.content.textContent;
    box.append(span);
  });
}

function markSaid(box, now) {
  for (const span of box.querySelectorAll("span.word")) {
    span.classList.toggle("said", Number(span.dataset.t) <= now + 0.001);
  }
}

for (const audio of document.querySelectorAll("audio[data-captions]")) {
  const box = document.getElementById(audio.dataset.captions);
  const tracks = Array.from(audio.textTracks);
  const captions = tracks.find((t) => t.kind === "captions");
  const words = tracks.find((t) => t.kind === "metadata");
  if (!box || !captions) continue;
  if (words) words.mode = "hidden";  // its cues load and change, but nothing is drawn
  const shown = words || captions;
  shown.addEventListener("cuechange", () => {
    const cue = shown.activeCues && shown.activeCues[0];
    if (cue && shown === words) {
      showWords(box, cue);
      markSaid(box, audio.currentTime);
    } else {
      box.textContent = cue ? cue.getCueAsHTML().textContent : "";
    }
    box.hidden = !cue;
  });
  if (words) audio.addEventListener("timeupdate", () => markSaid(box, audio.currentTime));
}

// A feed link relative to the page becomes the absolute address a podcast app needs.
for (const field of document.querySelectorAll("[data-feed]")) {
  try {
    field.value = new URL(field.dataset.feed, document.baseURI).href;
  } catch (error) {
    // Keep the address as written.
  }
  field.addEventListener("focus", () => field.select());
}
