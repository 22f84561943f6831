"""The scripts the call benchmark runs in its Chromium pages: the bare answering page, the
browser "cabin" of the reference call, and the readers of frame rate, stamps and readings."""

from __future__ import annotations

BARE_ANSWER = """
const done = arguments[arguments.length - 1];
(async () => {
  const pc = new RTCPeerConnection({iceServers: []});
  window.benchPc = pc;
  const s = await navigator.mediaDevices.getUserMedia(
    {video: {width: 640, height: 480, frameRate: 30}, audio: true});
  s.getTracks().forEach((t) => pc.addTrack(t, s));
  window.benchSeen = {};
  pc.ondatachannel = (e) => {
    e.channel.onmessage = (m) => { window.benchSeen[m.data] = Date.now(); };
  };
  pc.ontrack = (e) => {
    const v = document.getElementById('v');
    if (!v.srcObject) v.srcObject = new MediaStream();
    v.srcObject.addTrack(e.track);
  };
  await pc.setRemoteDescription({type: 'offer', sdp: arguments[0]});
  await pc.setLocalDescription(await pc.createAnswer());
  await new Promise((r) => {
    if (pc.iceGatheringState === 'complete') r();
    pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r();
    setTimeout(r, 3000);
  });
  done(pc.localDescription.sdp);
})().catch((e) => done('ERROR ' + e));
"""

FPS_JS = """
const pc = arguments[0] === 'bare' ? window.benchPc : state.pc;
if (!pc) return null;
let out = null;
(await pc.getStats()).forEach((r) => {
  if (r.type === 'inbound-rtp' && r.kind === 'video' && !out)
    out = {fps: r.framesPerSecond || 0, size: `${r.frameWidth}x${r.frameHeight}`};
});
return out;
"""

# Reads the stamp of each frame the <video> presents (see drivers.media.STAMP_BITS): 32 blocks
# of 16 px, the row below their complement; latency = when the frame is shown - its stamp.
G2G_JS = """
const v = document.getElementById(arguments[0]);
const g2g = {samples: [], bad: 0, early: 0, stop: false};
window.benchG2g = g2g;
const c = document.createElement('canvas');
c.width = 512; c.height = 32;
const g = c.getContext('2d', {willReadFrequently: true});
const tick = (now, meta) => {
  if (g2g.stop) return;
  const shown = Date.now() + (meta.expectedDisplayTime - now);
  g.drawImage(v, 0, 0, 512, 32, 0, 0, 512, 32);
  const px = g.getImageData(0, 0, 512, 32).data;
  let ms = 0, ok = true;
  for (let i = 0; i < 32 && ok; i++) {
    const a = px[(8 * 512 + i * 16 + 8) * 4] > 128, b = px[(24 * 512 + i * 16 + 8) * 4] > 128;
    ok = a !== b;
    ms = ms * 2 + (a ? 1 : 0);
  }
  if (!ok) g2g.bad++;
  else {
    const d = ((Math.round(shown) - ms) % 4294967296 + 4294967296) % 4294967296;
    if (d < 10000) g2g.samples.push(d); else g2g.early++;
  }
  v.requestVideoFrameCallback(tick);
};
v.requestVideoFrameCallback(tick);
"""

# The browser "cabin" of the reference call: its fake camera (or a canvas stamped like the
# kiosk's synthetic camera, for glass-to-glass), offered to the other page through the bench.
B2B_OFFER = """
const [w, h, stamp] = arguments;
const done = arguments[arguments.length - 1];
(async () => {
  const pc = new RTCPeerConnection({iceServers: []});
  window.benchPc = pc;
  let stream;
  if (stamp) {
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    document.body.appendChild(c);
    const g = c.getContext('2d');
    let f = 0;
    const draw = () => {
      g.fillStyle = '#808080'; g.fillRect(0, 0, w, h);
      g.fillStyle = '#303030'; g.fillRect((f++ * 8) % w, 32, 96, h - 32);
      const ms = Date.now() % 4294967296;
      for (let i = 0; i < 32; i++) {
        const bit = Math.floor(ms / 2 ** (31 - i)) % 2;
        g.fillStyle = bit ? '#fff' : '#000'; g.fillRect(i * 16, 0, 16, 16);
        g.fillStyle = bit ? '#000' : '#fff'; g.fillRect(i * 16, 16, 16, 16);
      }
      requestAnimationFrame(draw);
    };
    draw();
    stream = c.captureStream(30);
    const mic = await navigator.mediaDevices.getUserMedia({audio: true});
    mic.getAudioTracks().forEach((t) => stream.addTrack(t));
  } else {
    stream = await navigator.mediaDevices.getUserMedia(
      {video: {width: {exact: w}, height: {exact: h}, frameRate: 30}, audio: true});
  }
  stream.getTracks().forEach((t) => pc.addTrack(t, stream));
  const v = document.getElementById('v');
  pc.ontrack = (e) => {
    if (!v.srcObject) v.srcObject = new MediaStream();
    v.srcObject.addTrack(e.track);
  };
  window.benchFirst = 0;
  v.requestVideoFrameCallback((now) => { window.benchFirst = now; });
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((r) => {
    if (pc.iceGatheringState === 'complete') r();
    pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r();
    setTimeout(r, 3000);
  });
  window.benchT0 = performance.now();
  done(pc.localDescription.sdp);
})().catch((e) => done('ERROR ' + e));
"""

SENDER_JS = """
let out = null;
(await window.benchPc.getStats()).forEach((r) => {
  if (r.type === 'outbound-rtp' && r.kind === 'video' && !out)
    out = {frame: `${r.frameWidth}x${r.frameHeight}`, fps: r.framesPerSecond || 0,
           limited_by: r.qualityLimitationReason,
           limited_s: r.qualityLimitationDurations};
});
return out;
"""
SENDER_JS = f"return (async () => {{{SENDER_JS}}})()"

B2B_ANSWERED = """
const done = arguments[arguments.length - 1];
window.benchPc.setRemoteDescription({type: 'answer', sdp: arguments[0]})
  .then(() => done('ok'), (e) => done('ERROR ' + e));
"""

OBSERVE_READINGS = """
window.benchSeen = {};
new MutationObserver(() => {
  const now = Date.now();
  for (const li of document.querySelectorAll('#readings li .value')) {
    // as the page writes it: "SpO2 90,1 %" in French, "SpO2 90.1%" in English
    const m = li.textContent.match(/SpO2 ([0-9]+(?:[.,][0-9]+)?)/);
    const key = m && m[1].replace(',', '.');
    if (key && !(key in window.benchSeen)) window.benchSeen[key] = now;
  }
}).observe(document.getElementById('readings'), {childList: true});
"""
