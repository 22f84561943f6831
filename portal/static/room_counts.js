"use strict";
// A region's portal: the waiting room lists the head of the line and the cabins that concern
// the doctor now (a patient, a staff call), not thousands of rows; the totals it sends say
// what is not listed (portal/room_view.py). A département's portal lists everything: no line.

Object.assign(TEXT.fr, {
  room_more: "{listed} patients affichés sur {total} en attente ou en consultation (les premiers de la file).",
  cabins_listed: "Cabines affichées : celles qui ont un patient ou un appel du personnel. {online} cabines en ligne sur {total}.",
});
Object.assign(TEXT.en, {
  room_more: "{listed} of {total} patients waiting or in a consultation are shown (the head of the line).",
  cabins_listed: "Cabins shown: those with a patient or a staff call. {online} of {total} cabins online.",
});

function roomCounts(room) {
  const fmt = (n) => Number(n).toLocaleString(locale());
  const more = $("room-more");
  const total = room.patients_total ?? room.patients.length;
  more.hidden = total <= room.patients.length;
  more.textContent = more.hidden ? "" : tf("room_more", { listed: fmt(room.patients.length), total: fmt(total) });
  const cabins = $("cabins-listed");
  const all = room.cabins_total ?? room.cabins.length;
  cabins.hidden = all <= room.cabins.length;
  cabins.textContent = cabins.hidden ? "" : tf("cabins_listed", { online: fmt(room.cabins_online ?? 0), total: fmt(all) });
}
