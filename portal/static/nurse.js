// Cabine doctor page: the nurse assisting the consultation (issue 23, a nurse's kit or
// "mallette"). The cabin says on the data channel who assists (name, profession, RPPS), where
// the consultation happens, whether the nurse typed the identity (no card) and witnessed the
// consent; the identity header shows it (the assisted act's claim needs it).
// Loaded after app.js and chat.js, whose top-level names (TEXT, t, $, DATA_TYPES, onData) it
// uses: it takes the "assistance" message before app.js's onData, and forgets the nurse when
// another patient's identity comes.
"use strict";

Object.assign(TEXT.fr, {
  assist_title: "Consultation assistée",
  assist_by: "par",
  assist_place: "Lieu",
  assist_place_health_centre: "centre de santé",
  assist_place_home: "domicile du patient",
  assist_place_other: "autre lieu",
  assist_prof_infirmier: "infirmier·ère",
  assist_prof_medecin: "médecin",
  assist_prof_sage_femme: "sage-femme",
  assist_prof_pharmacien: "pharmacien·ne",
  assist_prof_autre: "professionnel·le de santé",
  assist_consent: "consentement recueilli en sa présence",
  identity_note_nurse: "Pas de carte Vitale : identité saisie par l'infirmier·ère d'après une pièce d'identité (non qualifiée INS). Vérifiez-la à l'écran.",
});
Object.assign(TEXT.en, {
  assist_title: "Assisted consultation",
  assist_by: "by",
  assist_place: "Place",
  assist_place_health_centre: "health centre",
  assist_place_home: "patient's home",
  assist_place_other: "other place",
  assist_prof_infirmier: "nurse",
  assist_prof_medecin: "doctor",
  assist_prof_sage_femme: "midwife",
  assist_prof_pharmacien: "pharmacist",
  assist_prof_autre: "health professional",
  assist_consent: "consent given in their presence",
  identity_note_nurse: "No Carte Vitale: identity typed by the nurse from an ID document (not INS-qualified). Check it on camera.",
});

DATA_TYPES.add("assistance");

const ASSIST_PROFESSIONS = new Set(["infirmier", "medecin", "sage_femme", "pharmacien", "autre"]);
const ASSIST_PLACES = new Set(["health_centre", "home", "other"]);
let nurseAssistance = null;

function assistLine() {
  let el = document.getElementById("assist-line");
  if (el) return el;
  el = document.createElement("p");
  el.id = "assist-line";
  el.className = "note assist";
  el.hidden = true;
  $("identity-note").after(el);
  return el;
}

function renderAssistance() {
  const el = assistLine();
  const a = nurseAssistance;
  el.hidden = !a;
  el.textContent = "";
  if (!a) return;
  const strong = document.createElement("strong");
  strong.textContent = `${t("assist_title")} `;
  const who = document.createElement("span");
  who.id = "assist-who";
  who.textContent = `${t("assist_by")} ${a.name}, ${t(`assist_prof_${a.profession}`)}, RPPS ${a.rpps}`;
  const where = document.createElement("span");
  where.id = "assist-place";
  where.textContent = ` · ${t("assist_place")}${colon()}${t(`assist_place_${a.place}`)}`;
  el.append(strong, who, where);
  if (a.consent_witnessed) el.append(` · ${t("assist_consent")}`);
  if (a.identity_typed) {
    const note = $("identity-note");
    note.dataset.i18n = "identity_note_nurse";
    note.textContent = t("identity_note_nurse");
    if (a.sex === "F" || a.sex === "M") {
      $("id-sex").textContent = t(`sex_${a.sex}`);
      $("id-sex").title = t(`sex_name_${a.sex}`);
      $("part-sex").hidden = false;
    }
  }
}

// an "assistance" message from the cabin (before app.js's onData: see the top)
function onAssistance(msg) {
  const rpps = String(msg.rpps || "");
  if (!ASSIST_PROFESSIONS.has(msg.profession) || !ASSIST_PLACES.has(msg.place)
    || typeof msg.name !== "string" || !msg.name || msg.name.length > 80 || !/^[0-9]{11}$/.test(rpps)) {
    throw new Error("bad assistance");
  }
  nurseAssistance = {
    name: msg.name, profession: msg.profession, rpps, place: msg.place,
    identity_typed: msg.identity_typed === true, consent_witnessed: msg.consent_witnessed === true,
    sex: msg.sex === "F" || msg.sex === "M" ? msg.sex : "",
  };
  renderAssistance();
}

const appOnData = onData;
onData = function onDataWithAssistance(msg) {  // eslint-disable-line no-global-assign
  if (msg.type === "assistance") { onAssistance(msg); return; }
  // the cabin tells the nurse right after each identity: a new identity forgets the last one
  if (msg.type === "identity") nurseAssistance = null;
  appOnData(msg);
  if (msg.type === "identity") renderAssistance();
};

// the page's language changed (app.js re-reads every [data-i18n]): the line is built here
const appApplyLanguage = applyLanguage;
applyLanguage = function applyLanguageWithAssistance() {  // eslint-disable-line no-global-assign
  appApplyLanguage();
  renderAssistance();
};

window.cabineAssistance = () => {
  const el = document.getElementById("assist-line");
  return { ...(nurseAssistance || {}), shown: Boolean(el && !el.hidden), text: el ? el.textContent : "" };
};
