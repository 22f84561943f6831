// Cabine doctor page: the cabin's examination instruments (issue 22). The exam camera in a
// large tile (freeze, zoom, a still at the camera's full resolution sent by the cabin on the
// data channel, never through the portal), the stethoscope through WebAudio (volume, a clip
// of up to 30 s recorded as WAV in this browser only), and the patient's guidance (exam.js's
// second half: where to place the instrument, quick phrases).
// Loaded after app.js, whose top-level names (state, sendData, say, t, tf, TEXT, $...) it uses.
"use strict";

Object.assign(TEXT.fr, {
  exam_heading: "Examen",
  exam_camera_switch: "Caméra d'examen",
  exam_steth_switch: "Stéthoscope",
  exam_off_camera: "éteinte", exam_off_steth: "éteint",
  exam_asking_on: "allumage…",
  exam_asking_off: "extinction…",
  exam_on_video: "allumée : {w}×{h}, {fps} images/s",
  exam_on_audio: "allumé : {khz} kHz, {ch}",
  exam_mono: "mono", exam_stereo: "stéréo",
  exam_asked_other: "(demandé : {asked})",
  exam_why_missing_camera: "éteinte : caméra d'examen débranchée",
  exam_why_missing_steth: "éteint : stéthoscope débranché",
  exam_why_cannot_open_camera: "éteinte : la caméra d'examen ne s'ouvre pas",
  exam_why_cannot_open_steth: "éteint : le stéthoscope ne s'ouvre pas",
  exam_why_no_data_camera: "éteinte : la caméra d'examen ne donne pas d'image",
  exam_why_no_data_steth: "éteint : le stéthoscope ne donne pas de son",
  exam_why_ended_camera: "éteinte : caméra d'examen débranchée pendant l'examen",
  exam_why_ended_steth: "éteint : stéthoscope débranché pendant l'examen",
  exam_why_absent_camera: "pas de caméra d'examen dans cette cabine",
  exam_why_absent_steth: "pas de stéthoscope dans cette cabine",
  exam_why_other_camera: "éteinte : la caméra d'examen ne répond pas",
  exam_why_other_steth: "éteint : le stéthoscope ne répond pas",
  exam_freeze: "Figer l'image",
  exam_zoom: "Zoom",
  exam_still: "Prendre une photo",
  exam_still_asking: "Photo demandée à la cabine…",
  exam_still_got: "Photo reçue : {w}×{h}",
  exam_still_failed_not_found: "Photo non reçue : pas de caméra d'examen, ou elle est débranchée.",
  exam_still_failed_busy: "Photo non reçue : une autre photo est en cours. Réessayez.",
  exam_still_failed_timeout: "Photo non reçue : la cabine n'a pas répondu. Réessayez.",
  exam_still_failed_link_lost: "Photo non reçue : liaison interrompue. Réessayez.",
  exam_still_failed_other: "Photo non reçue : la cabine n'a pas pu la prendre. Réessayez.",
  exam_still_alt: "Photo {n} de la caméra d'examen, {w}×{h}",
  exam_download: "Télécharger",
  exam_stills: "Photos",
  exam_volume: "Volume du stéthoscope",
  exam_record: "Enregistrer un extrait (30 s au plus)",
  exam_record_stop: "Arrêter l'enregistrement",
  exam_recording: "Enregistrement : {s} s sur 30",
  exam_clip: "Extrait {n} : {s} s",
  exam_clips: "Extraits (gardés dans ce navigateur seulement)",
  guide_heading: "Guider le patient",
  guide_pick: "Ce que le patient voit à l'écran",
  guide_none: "Rien (pas de dessin)",
  guide_ear_left: "Oreille gauche", guide_ear_right: "Oreille droite", guide_throat: "Gorge",
  guide_skin: "Peau", guide_heart: "Cœur, foyer {n}", guide_lungs_front: "Poumons devant, point {n}",
  guide_lungs_back: "Poumons dos, point {n}",
  guide_shown: "Montré au patient : {what}",
  guide_phrases: "Phrases rapides (affichées et dites au patient dans sa langue)",
  phrase_higher: "Un peu plus haut", phrase_lower: "Un peu plus bas", phrase_hold_still: "Ne bougez plus",
  phrase_breathe_deeply: "Respirez profondément", phrase_cough: "Toussez",
  phrase_hold_breath: "Retenez votre respiration", phrase_done: "C'est fini, merci",
  guide_said: "Dit au patient : « {what} »",
  guide_failed: "Non transmis au patient : réessayez.",
});
Object.assign(TEXT.en, {
  exam_heading: "Examination",
  exam_camera_switch: "Exam camera",
  exam_steth_switch: "Stethoscope",
  exam_off_camera: "off", exam_off_steth: "off",
  exam_asking_on: "switching on…",
  exam_asking_off: "switching off…",
  exam_on_video: "on: {w}×{h}, {fps} frames/s",
  exam_on_audio: "on: {khz} kHz, {ch}",
  exam_mono: "mono", exam_stereo: "stereo",
  exam_asked_other: "(asked: {asked})",
  exam_why_missing_camera: "off: exam camera unplugged",
  exam_why_missing_steth: "off: stethoscope unplugged",
  exam_why_cannot_open_camera: "off: the exam camera does not open",
  exam_why_cannot_open_steth: "off: the stethoscope does not open",
  exam_why_no_data_camera: "off: the exam camera gives no picture",
  exam_why_no_data_steth: "off: the stethoscope gives no sound",
  exam_why_ended_camera: "off: exam camera unplugged during the exam",
  exam_why_ended_steth: "off: stethoscope unplugged during the exam",
  exam_why_absent_camera: "no exam camera in this cabin",
  exam_why_absent_steth: "no stethoscope in this cabin",
  exam_why_other_camera: "off: the exam camera does not answer",
  exam_why_other_steth: "off: the stethoscope does not answer",
  exam_freeze: "Freeze the picture",
  exam_zoom: "Zoom",
  exam_still: "Take a still",
  exam_still_asking: "Still asked of the cabin…",
  exam_still_got: "Still received: {w}×{h}",
  exam_still_failed_not_found: "Still not received: no exam camera, or it is unplugged.",
  exam_still_failed_busy: "Still not received: another still is being taken. Try again.",
  exam_still_failed_timeout: "Still not received: the cabin did not answer. Try again.",
  exam_still_failed_link_lost: "Still not received: link interrupted. Try again.",
  exam_still_failed_other: "Still not received: the cabin could not take it. Try again.",
  exam_still_alt: "Still {n} of the exam camera, {w}×{h}",
  exam_download: "Download",
  exam_stills: "Stills",
  exam_volume: "Stethoscope volume",
  exam_record: "Record a clip (30 s at most)",
  exam_record_stop: "Stop recording",
  exam_recording: "Recording: {s} s of 30",
  exam_clip: "Clip {n}: {s} s",
  exam_clips: "Clips (kept in this browser only)",
  guide_heading: "Guide the patient",
  guide_pick: "What the patient sees on the screen",
  guide_none: "Nothing (no drawing)",
  guide_ear_left: "Left ear", guide_ear_right: "Right ear", guide_throat: "Throat",
  guide_skin: "Skin", guide_heart: "Heart, area {n}", guide_lungs_front: "Lungs front, point {n}",
  guide_lungs_back: "Lungs back, point {n}",
  guide_shown: "Shown to the patient: {what}",
  guide_phrases: "Quick phrases (shown and said to the patient in their language)",
  phrase_higher: "A little higher", phrase_lower: "A little lower", phrase_hold_still: "Hold still",
  phrase_breathe_deeply: "Breathe in deeply", phrase_cough: "Cough",
  phrase_hold_breath: "Hold your breath", phrase_done: "That's it, thank you",
  guide_said: "Said to the patient: “{what}”",
  guide_failed: "Not passed on to the patient: try again.",
});
for (const type of ["exam_state", "exam_still"]) DATA_TYPES.add(type);

const EXAM_STILL_WAIT_MS = 20000;
const EXAM_MAX_STILL_CHUNKS = 256;
const EXAM_CLIP_S = 30;
const EXAM_ZOOMS = [1, 1.5, 2, 3, 4];
const EXAM_INSTRUMENTS = { exam_camera: "camera", stethoscope: "steth" };

// Everything of the exam this page holds, for one patient: cleared by resetExam.
const exam = {
  offered: new Set(),   // instruments whose tracks the cabin's offer carries
  states: {},           // instrument -> {on, key, params}: the cabin's last exam_state
  asking: {},           // instrument -> "on"|"off" while the cabin has not answered
  still: null,          // the request in flight: {id, sessionId, pieces, chunks, w, h, timer}
  stills: [],           // [{url, name, w, h}]: object URLs of the JPEGs received
  clips: [],            // [{url, name, seconds}]: the WAVs recorded in this browser
  audio: null,          // {ctx, source, gain, element}: the stethoscope's WebAudio graph
  recording: null,      // {chunks, samples, node, timer}
  volume: 1,
  zoom: 1,
};

function examDay() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

// ---- the tracks: the cabin's second video and second audio are its instruments ----------

// app.js's ontrack hook: true when the track is an instrument's (then handled here).
function examTrack(pc, ev) {
  const kind = ev.track.kind;
  const same = pc.getTransceivers().filter((tr) => tr.receiver.track.kind === kind);
  if (same.indexOf(ev.transceiver) < 1) return false;  // the face camera, the microphone
  const stream = new MediaStream([ev.track]);
  if (kind === "video") {
    exam.offered.add("exam_camera");
    $("exam-video").srcObject = stream;
  } else {
    exam.offered.add("stethoscope");
    // Chromium plays a remote track into WebAudio only while a media element holds it too
    const element = $("exam-steth-audio");
    element.srcObject = stream;
    element.muted = true;
    element.play().catch(() => {});
    examAudio(stream);
  }
  $("exam").hidden = false;
  renderExam();
  return true;
}

function examAudio(stream) {
  examAudioStop();
  const ctx = new AudioContext({ sampleRate: 48000 });
  const source = ctx.createMediaStreamSource(stream);
  const gain = ctx.createGain();
  gain.gain.value = exam.volume;
  source.connect(gain).connect(ctx.destination);
  ctx.resume().catch(() => {});
  exam.audio = { ctx, source, gain };
}

function examAudioStop() {
  examRecordStop(false);
  if (exam.audio) { exam.audio.ctx.close().catch(() => {}); exam.audio = null; }
}

// ---- switching the instruments ---------------------------------------------------------------

function examSwitch(instrument) {
  if (!linkUp() || exam.asking[instrument]) return;
  const on = !(exam.states[instrument] && exam.states[instrument].on);
  if (!sendData({ type: on ? "exam_on" : "exam_off", instrument })) return;
  exam.asking[instrument] = on ? "on" : "off";
  if (on && instrument === "stethoscope" && exam.audio) exam.audio.ctx.resume().catch(() => {});
  renderExam();
}

// "1280×720 at 30 fps; asked 1920×1080, got 640×480" -> the words of this page
function examOnText(instrument, detail) {
  const [format, notice] = String(detail || "").split("; ");
  const video = /^(\d+)×(\d+) at ([\d.]+) fps/.exec(format);
  const audio = /^(\d+) Hz, (\d+) channel/.exec(format);
  let key = "exam_on_video", params = {};
  if (video) params = { w: video[1], h: video[2], fps: video[3] };
  else if (audio) {
    key = "exam_on_audio";
    params = { khz: Number(audio[1]) / 1000, ch: [audio[2] === "1" ? "exam_mono" : "exam_stereo"] };
  } else return { key: instrument === "stethoscope" ? "exam_on_audio" : "exam_on_video", params: {} };
  const asked = /asked ([^,]+),/.exec(notice || "");
  if (asked) params.asked = asked[1];
  return { key, params };
}

function examOffText(instrument, detail) {
  const which = EXAM_INSTRUMENTS[instrument];
  if (!detail) return { key: `exam_off_${which}`, params: {} };
  if (detail === "not in this cabin") return { key: `exam_why_absent_${which}`, params: {} };
  const code = (/\[(\w+)\]$/.exec(detail) || [])[1];
  const why = ["missing", "cannot_open", "no_data", "ended"].includes(code) ? code : "other";
  return { key: `exam_why_${why}_${which}`, params: {} };
}

function onExamState(msg) {
  const instrument = msg.instrument;
  if (!(instrument in EXAM_INSTRUMENTS) || typeof msg.on !== "boolean") throw new Error("bad exam_state");
  const text = msg.on ? examOnText(instrument, msg.detail) : examOffText(instrument, msg.detail);
  exam.states[instrument] = { on: msg.on, ...text };
  delete exam.asking[instrument];
  if (!msg.on && instrument === "stethoscope") examRecordStop(true);
  renderExam();
}

function renderExam() {
  if (!$("exam-camera-switch")) return;
  const up = linkUp();
  for (const [instrument, which] of Object.entries(EXAM_INSTRUMENTS)) {
    const button = $(`exam-${which}-switch`);
    const st = exam.states[instrument];
    const on = Boolean(st && st.on);
    button.closest(".exam-instrument").hidden = !exam.offered.has(instrument);
    button.setAttribute("aria-pressed", String(on));
    button.disabled = !up || Boolean(exam.asking[instrument]);
    const status = $(`exam-${which}-state`);
    if (exam.asking[instrument]) say(status, `exam_asking_${exam.asking[instrument]}`);
    else if (st) {
      const params = { ...st.params };
      say(status, st.key, params);
      if (params.asked) status.textContent += " " + tf("exam_asked_other", { asked: params.asked });
    } else say(status, `exam_off_${which}`);
    status.dataset.on = String(on);
  }
  const cameraOn = Boolean(exam.states.exam_camera && exam.states.exam_camera.on);
  $("exam-tile").hidden = !cameraOn && exam.stills.length === 0;
  $("exam-frame").hidden = !cameraOn;
  $("exam-freeze").disabled = !cameraOn;
  $("exam-zoom").disabled = !cameraOn;
  $("exam-still").disabled = !up || !exam.offered.has("exam_camera") || Boolean(exam.still);
  const stethOn = Boolean(exam.states.stethoscope && exam.states.stethoscope.on);
  $("exam-steth").hidden = !stethOn && exam.clips.length === 0;
  $("exam-steth-live").hidden = !stethOn;
  $("exam-record").disabled = !stethOn || !exam.audio;
  $("exam-record").setAttribute("aria-pressed", String(Boolean(exam.recording)));
  $("exam-record").textContent = t(exam.recording ? "exam_record_stop" : "exam_record");
  $("exam-clips-box").hidden = exam.clips.length === 0;
  $("guide-pick").disabled = !up;
  for (const b of document.querySelectorAll("button.guide-phrase")) b.disabled = !up;
  $("exam-stills-box").hidden = exam.stills.length === 0;
}

// ---- the exam camera's tile: freeze, zoom ---------------------------------------------------

function examFreeze() {
  const video = $("exam-video");
  const frozen = !video.paused;
  if (frozen) video.pause(); else video.play().catch(() => {});
  $("exam-freeze").setAttribute("aria-pressed", String(frozen));
}

function examZoom(value) {
  exam.zoom = EXAM_ZOOMS.includes(Number(value)) ? Number(value) : 1;
  $("exam-video").style.transform = exam.zoom === 1 ? "" : `scale(${exam.zoom})`;
  $("exam-zoom").value = String(exam.zoom);
}

// ---- a still: asked of the cabin, its pieces put together here ---------------------------

function examStill() {
  if (!state.call || exam.still || !linkUp()) return;
  const msg = { type: "still_request", session_id: state.call.sessionId };
  if (!sendData(msg, examStillDone)) { say("exam-still-status", "exam_still_failed_link_lost"); return; }
  exam.still = {
    id: msg.id, sessionId: state.call.sessionId, pieces: [], chunks: 0, w: 0, h: 0,
    asked: performance.now(),
    timer: setTimeout(() => { state.pending.delete(msg.id); examStillDone(false, "timeout"); }, EXAM_STILL_WAIT_MS),
  };
  say("exam-still-status", "exam_still_asking");
  renderExam();
}

function onExamStill(msg) {
  const p = exam.still;
  const { index, chunks } = msg;
  if (!p || msg.ref !== p.id || msg.session_id !== p.sessionId || typeof msg.data !== "string"
    || !Number.isInteger(chunks) || chunks < 1 || chunks > EXAM_MAX_STILL_CHUNKS
    || !Number.isInteger(index) || index !== p.pieces.length || index >= chunks
    || (p.chunks && chunks !== p.chunks)) {
    throw new Error("bad exam_still");
  }
  const raw = atob(msg.data);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  Object.assign(p, { chunks, w: msg.width, h: msg.height });
  p.pieces.push(bytes);
}

function examStillDone(ok, code) {
  const p = exam.still;
  exam.still = null;
  if (!p) return;
  clearTimeout(p.timer);
  const whole = ok && p.chunks > 0 && p.pieces.length === p.chunks;
  const blob = whole ? new Blob(p.pieces, { type: "image/jpeg" }) : null;
  p.pieces = [];
  if (!blob) {
    const why = ok ? "other" : (["not_found", "busy", "timeout", "link_lost"].includes(code) ? code : "other");
    say("exam-still-status", `exam_still_failed_${why}`);
    renderExam();
    return;
  }
  const n = exam.stills.length + 1;
  const name = `photo-examen-${p.sessionId.replace(/[^A-Za-z0-9_-]/g, "")}-${examDay()}-${n}.jpg`;
  const still = { url: URL.createObjectURL(blob), name, w: p.w, h: p.h, n, ms: performance.now() - p.asked };
  exam.stills.push(still);
  const li = document.createElement("li");
  const img = document.createElement("img");
  img.src = still.url;
  img.dataset.i18nAlt = JSON.stringify(["exam_still_alt", { n, w: p.w, h: p.h }]);
  img.alt = tf("exam_still_alt", { n, w: p.w, h: p.h });
  const a = document.createElement("a");
  a.href = still.url; a.download = name;
  a.textContent = `${t("exam_download")} (${name})`;
  a.dataset.examDownload = "";
  li.append(img, a);
  $("exam-stills").append(li);
  say("exam-still-status", "exam_still_got", { w: p.w, h: p.h });
  renderExam();
}

// ---- the stethoscope: a clip recorded from WebAudio, encoded as WAV here ----------------

function examRecord() {
  if (exam.recording) { examRecordStop(true); return; }
  const audio = exam.audio;
  if (!audio) return;
  // the samples as they come from the cabin: taken before the volume
  const node = audio.ctx.createScriptProcessor(4096, 1, 1);
  const silent = audio.ctx.createGain();
  silent.gain.value = 0;
  const rec = { chunks: [], samples: 0, node, silent, rate: audio.ctx.sampleRate, started: performance.now() };
  const limit = EXAM_CLIP_S * rec.rate;
  node.onaudioprocess = (ev) => {
    if (exam.recording !== rec) return;
    const data = ev.inputBuffer.getChannelData(0);
    const take = Math.min(data.length, limit - rec.samples);
    rec.chunks.push(new Float32Array(data.subarray(0, take)));
    rec.samples += take;
    say("exam-record-time", "exam_recording", { s: Math.floor(rec.samples / rec.rate) });
    if (rec.samples >= limit) examRecordStop(true);
  };
  audio.source.connect(node);
  node.connect(silent).connect(audio.ctx.destination);
  exam.recording = rec;
  say("exam-record-time", "exam_recording", { s: 0 });
  renderExam();
}

function examWav(chunks, samples, rate) {
  const buffer = new ArrayBuffer(44 + samples * 2);
  const view = new DataView(buffer);
  const text = (at, s) => { for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i)); };
  text(0, "RIFF"); view.setUint32(4, 36 + samples * 2, true); text(8, "WAVE");
  text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true);
  view.setUint16(34, 16, true); text(36, "data"); view.setUint32(40, samples * 2, true);
  let at = 44;
  for (const chunk of chunks) {
    for (const v of chunk) {
      const s = Math.max(-1, Math.min(1, v));
      view.setInt16(at, s < 0 ? s * 0x8000 : s * 0x7fff, true);
      at += 2;
    }
  }
  return new Blob([buffer], { type: "audio/wav" });
}

function examRecordStop(keep) {
  const rec = exam.recording;
  if (!rec) return;
  exam.recording = null;
  rec.node.onaudioprocess = null;
  try { rec.node.disconnect(); rec.silent.disconnect(); } catch (e) { /* already gone */ }
  if (exam.audio) { try { exam.audio.source.disconnect(rec.node); } catch (e) { /* gone */ } }
  say("exam-record-time", "");
  if (keep && rec.samples > 0) {
    const n = exam.clips.length + 1;
    const seconds = Math.round((rec.samples / rec.rate) * 10) / 10;
    const name = `stethoscope-${examDay()}-${n}.wav`;
    const blob = examWav(rec.chunks, rec.samples, rec.rate);
    const clip = { url: URL.createObjectURL(blob), blob, name, seconds, n };
    exam.clips.push(clip);
    const li = document.createElement("li");
    const label = document.createElement("span");
    say(label, "exam_clip", { n, s: num(seconds, 1) });
    const player = document.createElement("audio");
    player.controls = true; player.src = clip.url;
    player.setAttribute("aria-label", tf("exam_clip", { n, s: num(seconds, 1) }));
    const a = document.createElement("a");
    a.href = clip.url; a.download = name;
    a.textContent = `${t("exam_download")} (${name})`;
    li.append(label, player, a);
    $("exam-clips").append(li);
  }
  rec.chunks = [];
  renderExam();
}

function examVolume(value) {
  exam.volume = Math.max(0, Math.min(4, Number(value) / 100));
  if (exam.audio) exam.audio.gain.gain.value = exam.volume;
  $("exam-volume-value").textContent = `${Math.round(exam.volume * 100)} %`;
}

// app.js's closePeer: the peer connection ended (a reconnection builds a new one, whose
// instruments start off); the stills and clips of the patient stay.
function examPeerClosed() {
  examRecordStop(true);
  examAudioStop();
  Object.assign(exam, { offered: new Set(), states: {}, asking: {} });
  if ($("exam-steth-audio")) $("exam-steth-audio").srcObject = null;
  renderExam();
}

// ---- guiding the patient: the drawing on the cabin's screen, the quick phrases -----------

// as the cabin's protocol (protocol/exam.py GUIDE_POINTS, PHRASES)
const GUIDE_POINTS = { ear_left: 0, ear_right: 0, throat: 0, skin: 0, heart: 4, lungs_front: 4, lungs_back: 6 };
const PHRASES = ["higher", "lower", "hold_still", "breathe_deeply", "cough", "hold_breath", "done"];

function guideOptions() {
  const select = $("guide-pick");
  const value = select.value;
  const options = [["none", ["guide_none"]]];
  for (const [examName, points] of Object.entries(GUIDE_POINTS)) {
    if (!points) options.push([examName, [`guide_${examName}`]]);
    for (let n = 1; n <= points; n++) options.push([`${examName}:${n}`, [`guide_${examName}`, { n }]]);
  }
  select.replaceChildren(...options.map(([v, [key, params]]) => {
    const o = document.createElement("option");
    o.value = v; o.textContent = tf(key, params || {}); o.dataset.label = JSON.stringify([key, params || {}]);
    return o;
  }));
  select.value = value || "none";
}

function guidePick(value) {
  const [examName, point] = value.split(":");
  const msg = { type: "exam_guide", exam: examName };
  if (point) msg.point = Number(point);
  const label = JSON.parse($("guide-pick").selectedOptions[0].dataset.label);
  const sent = sendData(msg, (ok) => say("guide-status", ok ? "guide_shown" : "guide_failed", { what: label }));
  if (!sent) say("guide-status", "guide_failed");
}

function guidePhrase(phrase) {
  const sent = sendData({ type: "exam_phrase", phrase },
    (ok) => say("guide-status", ok ? "guide_said" : "guide_failed", { what: [`phrase_${phrase}`] }));
  if (!sent) say("guide-status", "guide_failed");
}

function resetGuide() {
  if (!$("guide-pick")) return;
  $("guide-pick").value = "none";
  say("guide-status", "");
}

// ---- the one reset (app.js's resetPatient and closePeer): nothing of the exam stays ----

function resetExam() {
  if (exam.still) { clearTimeout(exam.still.timer); exam.still = null; }
  examAudioStop();
  for (const item of [...exam.stills, ...exam.clips]) URL.revokeObjectURL(item.url);
  Object.assign(exam, { offered: new Set(), states: {}, asking: {}, stills: [], clips: [] });
  if (!$("exam-stills")) return;
  $("exam-stills").replaceChildren();
  $("exam-clips").replaceChildren();
  for (const id of ["exam-still-status", "exam-record-time"]) say(id, "");
  const video = $("exam-video");
  if (!video.paused || video.srcObject) video.play().catch(() => {});
  $("exam-freeze").setAttribute("aria-pressed", "false");
  examZoom(1);
  $("exam-steth-audio").srcObject = null;
  if (typeof resetGuide === "function") resetGuide();
  renderExam();
}

window.cabine.exam = () => ({
  offered: [...exam.offered].sort(),
  states: Object.fromEntries(Object.entries(exam.states).map(([k, v]) => [k, { on: v.on, key: v.key }])),
  asking: { ...exam.asking },
  stills: exam.stills.map((s) => ({ name: s.name, w: s.w, h: s.h, ms: s.ms })),
  clips: exam.clips.map((c) => ({ name: c.name, seconds: c.seconds })),
  still: Boolean(exam.still), recording: Boolean(exam.recording),
  volume: exam.volume, zoom: exam.zoom, frozen: $("exam-video").paused,
  audio: exam.audio ? exam.audio.ctx.state : "",
});

document.addEventListener("DOMContentLoaded", () => {
  const section = $("exam");
  const video = $("exam-video");
  section.setAttribute("aria-labelledby", "exam-heading");
  section.className = "exam";
  section.innerHTML = `
    <h2 id="exam-heading" data-i18n="exam_heading"></h2>
    <div class="exam-switches">
      <p class="exam-instrument"><button type="button" id="exam-camera-switch" aria-pressed="false"
        aria-describedby="exam-camera-state" data-i18n="exam_camera_switch"></button>
        <span id="exam-camera-state" role="status"></span></p>
      <p class="exam-instrument"><button type="button" id="exam-steth-switch" aria-pressed="false"
        aria-describedby="exam-steth-state" data-i18n="exam_steth_switch"></button>
        <span id="exam-steth-state" role="status"></span></p>
    </div>
    <div class="exam-work">
      <div id="exam-tile" class="exam-tile">
        <div id="exam-frame" class="exam-frame"></div>
        <div class="exam-tools">
          <button type="button" id="exam-freeze" aria-pressed="false" data-i18n="exam_freeze"></button>
          <label><span data-i18n="exam_zoom"></span> <select id="exam-zoom">
            ${EXAM_ZOOMS.map((z) => `<option value="${z}">${String(z).replace(".", ",")}×</option>`).join("")}
          </select></label>
          <button type="button" id="exam-still" class="primary" data-i18n="exam_still"></button>
          <span id="exam-still-status" role="status"></span>
        </div>
        <div id="exam-stills-box"><h3 data-i18n="exam_stills"></h3><ul id="exam-stills" class="exam-stills"></ul></div>
      </div>
      <div id="exam-steth" class="exam-steth">
        <div id="exam-steth-live">
          <label for="exam-volume" data-i18n="exam_volume"></label>
          <input type="range" id="exam-volume" min="0" max="400" step="10" value="100">
          <output id="exam-volume-value" for="exam-volume">100 %</output>
          <button type="button" id="exam-record" aria-pressed="false"></button>
          <span id="exam-record-time" role="timer"></span>
        </div>
        <div id="exam-clips-box"><h3 data-i18n="exam_clips"></h3><ul id="exam-clips" class="exam-clips"></ul></div>
        <audio id="exam-steth-audio" hidden></audio>
      </div>
    </div>
    <div class="exam-guide">
      <h3 data-i18n="guide_heading"></h3>
      <label for="guide-pick" data-i18n="guide_pick"></label>
      <select id="guide-pick"></select>
      <p id="guide-phrases-label" class="note" data-i18n="guide_phrases"></p>
      <div class="guide-phrases" role="group" aria-labelledby="guide-phrases-label">
        ${PHRASES.map((ph) => `<button type="button" class="guide-phrase" data-phrase="${ph}" data-i18n="phrase_${ph}"></button>`).join("")}
      </div>
      <p id="guide-status" role="status"></p>
    </div>`;
  $("exam-frame").append(video);
  video.setAttribute("aria-labelledby", "exam-camera-switch");
  // below the patient's picture, in the main column: a large tile
  $("stage").after(section);
  for (const el of section.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  $("exam-camera-switch").addEventListener("click", () => examSwitch("exam_camera"));
  $("exam-steth-switch").addEventListener("click", () => examSwitch("stethoscope"));
  $("exam-freeze").addEventListener("click", examFreeze);
  $("exam-zoom").addEventListener("change", (ev) => examZoom(ev.target.value));
  $("exam-still").addEventListener("click", examStill);
  $("exam-record").addEventListener("click", examRecord);
  $("exam-volume").addEventListener("input", (ev) => examVolume(ev.target.value));
  guideOptions();
  $("guide-pick").addEventListener("change", (ev) => guidePick(ev.target.value));
  for (const b of section.querySelectorAll("button.guide-phrase")) {
    b.addEventListener("click", () => guidePhrase(b.dataset.phrase));
  }
  // the language switch: the stills' alternative texts follow
  new MutationObserver(() => {
    for (const o of $("guide-pick").options) {
      const [key, params] = JSON.parse(o.dataset.label);
      o.textContent = tf(key, params);
    }
    for (const img of document.querySelectorAll("#exam-stills img")) {
      const [key, params] = JSON.parse(img.dataset.i18nAlt);
      img.alt = tf(key, params);
    }
    renderExam();
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
  // the switches follow the link to the cabin
  new MutationObserver(renderExam).observe($("call-view"), { attributes: true, attributeFilter: ["data-link"] });
  renderExam();
});
