// The listening page's only script: captions from a page opened from disk,
// chapter links that seek their episode's player, the chapter being heard
// marked, and the feed address shown in full. Without it the page still works
// when served, and a chapter link opens the MP3 at that time.
"use strict";

// Browsers refuse to load a caption track from a file: URL ('file:' URLs are
// unique security origins), so a page opened from disk gives each track the
// copy of its WebVTT file that the page carries. Served pages use the file.
if (location.protocol === "file:") {
  for (const track of document.querySelectorAll("track[data-inline]")) {
    const copy = document.getElementById(track.dataset.inline);
    if (copy) track.src = URL.createObjectURL(new Blob([copy.textContent], {type: "text/vtt"}));
  }
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

// A feed link relative to the page becomes the absolute address a podcast app needs.
for (const field of document.querySelectorAll("input[data-feed]")) {
  try {
    field.value = new URL(field.dataset.feed, document.baseURI).href;
  } catch (error) {
    // Keep the address as written.
  }
  field.addEventListener("focus", () => field.select());
}
