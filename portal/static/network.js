// Cabine doctor page: the cabin's network (issue 23, a bus santé on 4G). The cabin says on the
// data channel what its link lets it send ("network": video on at a size, or the voice alone);
// a banner over the patient's picture says so, calmly, and goes when the video comes back.
// Loaded after app.js, whose top-level names (TEXT, t, tf, $, state) it uses.
"use strict";

Object.assign(TEXT.fr, {
  network_audio_only: "Réseau faible côté cabine : la vidéo est coupée, le son continue. Elle reviendra d'elle-même.",
  network_reduced: "Réseau faible côté cabine : image réduite ({w}×{h}).",
});
Object.assign(TEXT.en, {
  network_audio_only: "Weak network at the cabin: the video is off, the sound goes on. It will come back by itself.",
  network_reduced: "Weak network at the cabin: smaller picture ({w}×{h}).",
});

DATA_TYPES.add("network");

const network = { video: true, kbit: 0, width: 0, height: 0, changes: 0 };

function networkBanner() {
  let el = document.getElementById("network-banner");
  if (el) return el;
  el = document.createElement("div");
  el.id = "network-banner";
  el.setAttribute("role", "status");
  el.hidden = true;
  // at the top of the picture, clear of the controls and of the doctor's own picture; the
  // "can't hear" alert (more urgent) shows over it; dark on light amber
  Object.assign(el.style, {
    position: "absolute", left: "1rem", right: "1rem", top: "3.2rem", zIndex: "2",
    padding: ".6rem .9rem", borderRadius: ".4rem", fontWeight: "bold",
    background: "#fff4d6", color: "#3d2b00", border: "2px solid #8a6100",
  });
  $("stage").appendChild(el);
  return el;
}

function renderNetwork() {
  const el = networkBanner();
  if (!network.video) {
    el.textContent = t("network_audio_only");
    el.dataset.level = "audio";
    el.hidden = false;
  } else if (network.width && network.width < 640) {
    el.textContent = tf("network_reduced", { w: network.width, h: network.height });
    el.dataset.level = "reduced";
    el.hidden = false;
  } else {
    el.textContent = "";
    el.dataset.level = "";
    el.hidden = true;
  }
}

// a "network" message from the cabin (app.js's onData)
function onNetwork(msg) {
  network.video = msg.video === true;
  network.kbit = Number(msg.kbit) || 0;
  network.width = Number(msg.width) || 0;
  network.height = Number(msg.height) || 0;
  network.changes += 1;
  renderNetwork();
}

// a new peer connection starts with the video on: the last word is no longer true
function networkPeerClosed() {
  Object.assign(network, { video: true, kbit: 0, width: 0, height: 0 });
  renderNetwork();
}

// the page's language changed (app.js's language buttons): said again in the new one
document.addEventListener("click", (ev) => {
  if (ev.target instanceof Element && ev.target.closest("button.lang")) setTimeout(renderNetwork, 0);
});

window.cabineNetwork = () => {
  const el = document.getElementById("network-banner");
  return { ...network, banner: el && !el.hidden ? el.textContent : "" };
};
