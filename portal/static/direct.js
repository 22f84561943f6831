// Cabine doctor page: a patient whose nurse called this doctor directly (issue 23, a nurse's
// kit or "mallette"). The portal lists that patient to this doctor only, first, with
// "asked_for_you" and the nurse's name and profession (portal/direct.py); this marks the row.
// Loaded after app.js and nurse.js, whose top-level names (TEXT, t, tf, $, renderRoom and the
// assist_prof_* texts) it uses: it wraps renderRoom.
"use strict";

Object.assign(TEXT.fr, {
  asked_for_you: "Demandé pour vous — {name}, {profession}",
});
Object.assign(TEXT.en, {
  asked_for_you: "Asked for you — {name}, {profession}",
});

const renderRoomBeforeDirect = renderRoom;
// eslint-disable-next-line no-global-assign
renderRoom = function renderRoomWithDirect(room) {
  renderRoomBeforeDirect(room);
  markAskedForYou(room);
};

function markAskedForYou(room) {
  const body = $("patients").querySelector("tbody");
  for (const p of room.patients) {
    if (!p.asked_for_you) continue;
    const tr = [...body.querySelectorAll("tr[data-session]")].find((r) => r.dataset.session === p.session_id);
    if (!tr) continue;
    tr.classList.add("asked-for-you");
    const mark = document.createElement("strong");
    mark.className = "asked-mark";
    const profession = p.nurse_profession ? t(`assist_prof_${p.nurse_profession}`) : "";
    mark.textContent = tf("asked_for_you", { name: p.nurse || "—", profession }).replace(/, $/, "");
    const cell = tr.children[1];
    if (cell) cell.prepend(mark);
    const take = tr.querySelector("button.take");
    mark.id = `asked-${p.session_id}`;  // the take button's description
    if (take) take.setAttribute("aria-describedby", mark.id);
  }
}
