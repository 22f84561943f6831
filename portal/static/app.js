// Cabine doctor page: login, waiting room, and the call with a cabin.
// Signalling goes through the portal's WebSocket; health data (identity, readings,
// documents) only on the call's data channel, straight between cabin and browser.
"use strict";

const TEXT = {
  fr: {
    title: "Cabine — portail médecin", logout: "Se déconnecter", login_title: "Connexion",
    username: "Identifiant", password: "Mot de passe", login: "Se connecter",
    today_at: "aujourd'hui {where}",
    psc_login: "Se connecter avec Pro Santé Connect", psc_verified: "RPPS {rpps} — vérifié par Pro Santé Connect",
    login_failed: "Identifiant ou mot de passe incorrect.", login_locked: "Trop d'essais : réessayez plus tard.",
    waiting_room: "Salle d'attente", cabin: "Cabine", waiting: "Attente", action: "Action",
    state: "État", no_patient: "Aucun patient en attente.", cabins: "Cabines", online: "En ligne",
    heartbeat: "Dernier signal", devices: "Appareils", take: "Prendre en charge",
    printer: "Imprimante", printer_idle: "prête", printer_printing: "impression",
    printer_stopped: "arrêtée", printer_missing: "absente", printer_unknown: "inconnue",
    why_paper_out: "plus de papier", why_paper_jam: "bourrage", why_offline: "hors ligne",
    why_stopped: "file arrêtée", why_not_accepting: "refuse les travaux",
    why_no_such_queue: "file introuvable", why_cups_unavailable: "CUPS ne répond pas",
    state_waiting: "en attente", state_taken: "pris en charge", yes: "oui", no: "non",
    ago: "il y a {s}", age_group: "{group} ans", age_group_over: "{n} ans et plus",
    device_ok: "en service", device_missing: "absent", device_fault: "en panne",
    device_unknown: "non vérifié", device_no_relay: "pas de relais",
    dev_tensiometer: "Tensiomètre", dev_scale: "Balance", dev_oximeter: "Oxymètre",
    dev_thermometer: "Thermomètre", dev_card_reader: "Lecteur de carte", dev_reader: "Lecteur de carte",
    dev_printer: "Imprimante", dev_camera: "Caméra", dev_exam_camera: "Caméra d'examen",
    dev_stethoscope: "Stéthoscope", dev_otoscope: "Otoscope", dev_turn: "Relais TURN",
    mute: "Couper le micro", unmute: "Rétablir le micro", camera_off: "Couper la caméra",
    camera_on: "Rétablir la caméra", end: "Terminer la consultation", patient: "Patient",
    birth_date: "Date de naissance", born: "né(e) le", nir: "N° de sécurité sociale",
    nir_short: "NIR", nir_show: "Afficher", nir_hide: "Masquer", nir_copy: "Copier",
    nir_copied: "NIR copié ✓", nir_copy_failed: "Copie impossible : affichez le NIR et sélectionnez-le.",
    nir_hidden: "masqué", sex_F: "F", sex_M: "M", sex_name_F: "femme", sex_name_M: "homme",
    age_years: "{n} ans", age_year: "1 an", age_months: "{n} mois",
    consent: "Consentement",
    identity_note: "Identité non qualifiée (INS) : lue sur la carte Vitale, vérifiez une pièce d'identité à l'écran.",
    identity_note_booking_code: "Pas de carte Vitale : patient venu avec son code de rendez-vous. Vérifiez une pièce d'identité à l'écran et saisissez l'identité dans l'ordonnance.",
    identity_note_walk_in: "Pas de carte Vitale : patient sans rendez-vous, venu sans carte. Vérifiez une pièce d'identité à l'écran et saisissez l'identité dans l'ordonnance.",
    rx_identity: "Identité vérifiée sur pièce", last_name: "Nom", first_name: "Prénom",
    sex: "Sexe", sex_f: "Femme", sex_m: "Homme", choose: "—",
    readings: "Mesures", kind_blood_pressure: "Tension", kind_temperature: "Température",
    kind_weight: "Poids", kind_spo2: "SpO₂", kind_cuff_pressure: "Brassard", kind_body_composition: "Composition",
    latest: "Dernières valeurs", value: "Valeur", time: "Heure",
    history: "Toutes les mesures",
    prescription: "Ordonnance", weight_kg: "Poids (kg, facultatif)", add_line: "Ajouter une ligne",
    send_prescription: "Envoyer l'ordonnance", upload_pdf: "Ordonnance PDF de votre logiciel",
    send_pdf: "Envoyer le PDF", medicine: "Médicament", dose: "Posologie",
    duration: "Durée / quantité", renewals: "Renouvellements",
    call_waiting: "En attente de la cabine…", call_connecting: "Connexion…",
    call_connected: "En consultation", call_reconnecting: "Reconnexion…", call_ended: "Consultation terminée",
    quality_good: "Bonne qualité", quality_fair: "Qualité moyenne", quality_poor: "Mauvaise qualité",
    lost_for: "Connexion perdue depuis {s}", lost_min: "{m} min {s} s", seconds: "{s} s",
    sent: "Envoyé…", received: "Reçu par la cabine ✓", refused: "Refusé par la cabine",
    measure_asked: "{kind} : demande envoyée…", measure_received: "{kind} : demande reçue par la cabine ✓",
    measure_refused: "{kind} : refusé par la cabine",
    measure_not_confirmed: "{kind} : non confirmé par la cabine (liaison coupée) : redemandez.",
    measure_busy: "{kind} : cabine occupée, une mesure est déjà en cours{running} : redemandez ensuite.",
    running_kind: " ({kind})",
    pdf_too_big: "PDF trop gros (5 Mo au plus).",
    mstate_requested: "demandée", mstate_in_progress: "en cours", mstate_done: "terminée",
    mstate_failed: "échec : {reason}", mstate_cancelled: "annulée", ask_again: "Redemander",
    redo: " — à refaire",
    mreason_no_device: "pas d'appareil de ce type dans la cabine",
    mreason_unavailable: "appareil inutilisable (installation à vérifier)",
    mreason_unplugged: "appareil débranché ou introuvable",
    mreason_timeout: "pas de résultat dans le temps imparti",
    mreason_timeout_why: "pas de mesure valide dans le temps imparti ({why})",
    mreason_device_error: "l'appareil signale une erreur",
    mreason_bad_data: "données de l'appareil illisibles",
    mreason_no_valid_value: "pas de mesure valide",
    not_pdf: "Ce fichier n'est pas un PDF.", no_channel: "Pas de canal de données avec la cabine.",
    portal_lost: "Connexion au portail perdue, nouvelle tentative…", taken_by_other: "Un autre médecin a pris ce patient.",
    no_valid: "pas de mesure valide", exam_camera: "Caméra d'examen",
    serial_no: "n° {serial}", unstable: "instable",
    booked: "Sur rendez-vous", walk_ins: "Sans rendez-vous", slot: "RDV {slot}",
    staff: "Personnel sur place", staff_called: "Appel du personnel depuis {since}",
    staff_coming: "— personnel en route : {name}", under_a_minute: "moins d'1 min",
    rx_edit: "Modifier et renvoyer", rx_editing: "Modification : l'envoi remplacera l'ordonnance déjà envoyée.",
    rx_other_session: "Cette ordonnance a été ouverte pour un autre patient : non envoyée.",
    // the prescription form: lines, favourites, the weight offered, its errors, its preview
    rx_line: "Ligne {n}", rx_remove: "Retirer la ligne {n}", rx_non_substitutable: "Non substituable",
    rx_ald: "ALD (affection de longue durée)", rx_weight_use: "Reprendre la pesée : {w} kg",
    rx_favourites: "Favoris (gardés dans ce navigateur)", rx_fav_none: "— choisir un favori —",
    rx_fav_use: "Ajouter ce favori", rx_fav_save: "Enregistrer en favori",
    rx_fav_saved: "Favori enregistré : {name}", rx_fav_empty: "Indiquez d'abord le médicament de la ligne {n}.",
    rx_fav_added: "Favori ajouté à la ligne {n}.",
    rx_err_title: "Il y a un problème", rx_err_no_line: "Ajoutez au moins une ligne à l'ordonnance",
    rx_err_medicine: "Ligne {n} : indiquez le médicament", rx_err_dose: "Ligne {n} : indiquez la posologie",
    rx_err_duration: "Ligne {n} : indiquez la durée ou la quantité",
    rx_err_renewals: "Ligne {n} : les renouvellements vont de 0 à 12",
    rx_err_last_name: "Indiquez le nom du patient (vérifié sur pièce)",
    rx_err_first_name: "Indiquez le prénom du patient (vérifié sur pièce)",
    rx_err_sex: "Indiquez le sexe du patient", rx_err_birth: "Indiquez une date de naissance valide",
    rx_err_weight: "Le poids est un nombre de 0 à 500 kg",
    rx_check: "Aperçu avant envoi", rx_back: "Revenir à la modification",
    rx_preview_title: "Aperçu de l'ordonnance", rx_preview_note: "Rendu indicatif de ce qui sera imprimé : la cabine compose le PDF.",
    rx_card_patient: "Patient : identité de la carte Vitale",
    link_down: "Liaison avec la cabine interrompue : les demandes attendent son retour.",
    cannot_hear: "Le patient ne vous entend pas. Parlez plus fort, rapprochez-vous du micro, vérifiez qu'il n'est pas coupé.",
    cannot_hear_ok: "Compris",
    not_confirmed: "Non confirmé par la cabine (liaison coupée) : renvoyez.",
    patient_left: "Ce patient a quitté la cabine.", state_ended: "parti",
    end_confirm_title: "Terminer la consultation ?", end_cancel: "Continuer la consultation",
    end_confirm: "Terminer", end_prints: "La cabine imprimera : {what}.", end_prints_nothing: "Aucun document à imprimer.",
    end_unanswered: "Attention : {n} envoi(s) pas encore confirmé(s) par la cabine.",
    summary_title: "Fin de consultation", summary_close: "Fermer le résumé",
    summary_when: "Cabine {cabin} · {start}–{end} ({minutes} min) · terminée par {who}",
    ended_by_doctor: "vous", ended_by_cabin: "la cabine",
    summary_docs: "Documents envoyés : {docs}", summary_no_docs: "Documents envoyés : aucun",
    summary_results: "Relevé des mesures ({n}) à imprimer par la cabine", results_sheet: "relevé des mesures",
    doc_prescription: "ordonnance (formulaire, version {v})", doc_pdf: "ordonnance PDF",
    doc_ok: "{doc} reçue ✓", doc_refused: "{doc} refusée ✗", doc_pending: "{doc} non confirmée ✗",
    summary_printer_ok: "Impression à la cabine : ✓ imprimante prête, aucune erreur signalée",
    summary_printer_busy: "Impression à la cabine : impression en cours…",
    summary_printer_bad: "Impression à la cabine : ✗ imprimante {state}{why}",
    summary_printer_unknown: "Impression à la cabine : ? état de l'imprimante inconnu",
    summary_printer_offline: "Impression à la cabine : ? cabine hors ligne",
    summary_printer_none: "Impression à la cabine : rien à imprimer",
    timer_label: "Durée", timer_name: "Durée de la consultation", notes: "Notes",
    notes_help: "Restent dans ce navigateur, ne sont envoyées nulle part, effacées à la fin de la consultation.",
    shortcuts: "Raccourcis clavier", shortcuts_note: "Hors d'un champ de saisie.", key_shift: "Maj",
    shortcut_measure: "Demander la mesure : tension, température, poids, SpO₂",
    shortcut_mute: "Couper ou rétablir votre micro",
    shortcut_end: "Terminer la consultation (demande confirmation)",
    fullscreen: "Plein écran", fullscreen_exit: "Quitter le plein écran", key_escape: "Échap",
    shortcut_escape: "Quitter le plein écran", fullscreen_refused: "Le navigateur a refusé le plein écran.",
    self_move: "Déplacer mon image", corner_br: "(en bas à droite)", corner_bl: "(en bas à gauche)",
    corner_tl: "(en haut à gauche)", corner_tr: "(en haut à droite)",
    media_setup: "Micro et caméra", mic_choose: "Micro", camera_choose: "Caméra",
    mic_n: "Micro {n}", camera_n: "Caméra {n}", no_device: "aucun trouvé",
    mic_changed: "Micro changé.", camera_changed: "Caméra changée.", device_next_call: "Pris en compte à la prochaine consultation.",
    device_failed: "Cet appareil ne répond pas : le précédent reste utilisé.",
  },
  en: {
    title: "Cabine — doctor portal", logout: "Log out", login_title: "Log in",
    username: "Username", password: "Password", login: "Log in",
    today_at: "today {where}",
    psc_login: "Log in with Pro Santé Connect", psc_verified: "RPPS {rpps} — verified by Pro Santé Connect",
    login_failed: "Wrong username or password.", login_locked: "Too many attempts: try again later.",
    waiting_room: "Waiting room", cabin: "Cabin", waiting: "Waiting", action: "Action",
    state: "State", no_patient: "No patient waiting.", cabins: "Cabins", online: "Online",
    heartbeat: "Last heartbeat", devices: "Devices", take: "Take patient",
    printer: "Printer", printer_idle: "ready", printer_printing: "printing",
    printer_stopped: "stopped", printer_missing: "missing", printer_unknown: "unknown",
    why_paper_out: "out of paper", why_paper_jam: "paper jam", why_offline: "offline",
    why_stopped: "queue stopped", why_not_accepting: "refusing jobs",
    why_no_such_queue: "no such queue", why_cups_unavailable: "CUPS not answering",
    state_waiting: "waiting", state_taken: "taken", yes: "yes", no: "no",
    ago: "{s} ago", age_group: "aged {group}", age_group_over: "aged {n} and over",
    device_ok: "working", device_missing: "missing", device_fault: "faulty",
    device_unknown: "not checked", device_no_relay: "no relay",
    dev_tensiometer: "Blood pressure monitor", dev_scale: "Scale", dev_oximeter: "Oximeter",
    dev_thermometer: "Thermometer", dev_card_reader: "Card reader", dev_reader: "Card reader",
    dev_printer: "Printer", dev_camera: "Camera", dev_exam_camera: "Exam camera",
    dev_stethoscope: "Stethoscope", dev_otoscope: "Otoscope", dev_turn: "TURN relay",
    mute: "Mute", unmute: "Unmute", camera_off: "Camera off", camera_on: "Camera on",
    end: "End consultation", patient: "Patient", birth_date: "Birth date",
    born: "born", nir: "Social security no.",
    nir_short: "NIR", nir_show: "Show", nir_hide: "Hide", nir_copy: "Copy",
    nir_copied: "NIR copied ✓", nir_copy_failed: "Cannot copy: show the NIR and select it.",
    nir_hidden: "hidden", sex_F: "F", sex_M: "M", sex_name_F: "female", sex_name_M: "male",
    age_years: "{n} years", age_year: "1 year", age_months: "{n} months",
    consent: "Consent",
    identity_note: "Identity not qualified (INS): read from the Carte Vitale, check an ID document on camera.",
    identity_note_booking_code: "No Carte Vitale: the patient checked in with their booking code. Check an ID document on camera and type the identity in the prescription.",
    identity_note_walk_in: "No Carte Vitale: walk-in patient without a card. Check an ID document on camera and type the identity in the prescription.",
    rx_identity: "Identity checked on an ID document", last_name: "Last name", first_name: "First name",
    sex: "Sex", sex_f: "Female", sex_m: "Male", choose: "—",
    booked: "Booked", walk_ins: "Walk-ins", slot: "slot {slot}",
    readings: "Readings", kind_blood_pressure: "Blood pressure", kind_temperature: "Temperature",
    kind_weight: "Weight", kind_spo2: "SpO₂", kind_cuff_pressure: "Cuff", kind_body_composition: "Body composition",
    latest: "Latest values", value: "Value", time: "Time",
    history: "All readings",
    prescription: "Prescription", weight_kg: "Weight (kg, optional)", add_line: "Add a line",
    send_prescription: "Send prescription", upload_pdf: "Prescription PDF from your software",
    send_pdf: "Send PDF", medicine: "Medicine", dose: "Dose", duration: "Duration / quantity",
    renewals: "Renewals", call_waiting: "Waiting for the cabin…", call_connecting: "Connecting…",
    call_connected: "In consultation", call_reconnecting: "Reconnecting…", call_ended: "Consultation ended",
    quality_good: "Good quality", quality_fair: "Fair quality", quality_poor: "Poor quality",
    lost_for: "Connection lost for {s}", lost_min: "{m} min {s} s", seconds: "{s} s",
    sent: "Sent…", received: "Received by the cabin ✓", refused: "Refused by the cabin",
    measure_asked: "{kind}: request sent…", measure_received: "{kind}: request received by the cabin ✓",
    measure_refused: "{kind}: refused by the cabin",
    measure_not_confirmed: "{kind}: not confirmed by the cabin (link lost): ask again.",
    measure_busy: "{kind}: the cabin is busy, a measurement is already running{running}: ask again afterwards.",
    running_kind: " ({kind})",
    pdf_too_big: "PDF too large (5 MB at most).",
    mstate_requested: "asked", mstate_in_progress: "in progress", mstate_done: "done",
    mstate_failed: "failed: {reason}", mstate_cancelled: "cancelled", ask_again: "Ask again",
    redo: " — do it again",
    mreason_no_device: "no instrument of this kind in the cabin",
    mreason_unavailable: "instrument cannot be used (check its set-up)",
    mreason_unplugged: "instrument unplugged or not found",
    mreason_timeout: "no result in time",
    mreason_timeout_why: "no valid measurement in time ({why})",
    mreason_device_error: "the instrument reported an error",
    mreason_bad_data: "unreadable data from the instrument",
    mreason_no_valid_value: "no valid measurement",
    not_pdf: "This file is not a PDF.", no_channel: "No data channel with the cabin.",
    portal_lost: "Lost the portal connection, retrying…", taken_by_other: "Another doctor took this patient.",
    no_valid: "no valid measurement", exam_camera: "Exam camera",
    serial_no: "s/n {serial}", unstable: "unstable",
    staff: "On-site staff", staff_called: "Staff called for {since}",
    staff_coming: "— staff on the way: {name}", under_a_minute: "under 1 min",
    rx_edit: "Edit and resend", rx_editing: "Editing: sending replaces the prescription already sent.",
    rx_other_session: "This prescription was opened for another patient: not sent.",
    // the prescription form: lines, favourites, the weight offered, its errors, its preview
    rx_line: "Line {n}", rx_remove: "Remove line {n}", rx_non_substitutable: "Not substitutable",
    rx_ald: "ALD (long-term condition)", rx_weight_use: "Use the measured weight: {w} kg",
    rx_favourites: "Favourites (kept in this browser)", rx_fav_none: "— choose a favourite —",
    rx_fav_use: "Add this favourite", rx_fav_save: "Save as favourite",
    rx_fav_saved: "Favourite saved: {name}", rx_fav_empty: "Type line {n}'s medicine first.",
    rx_fav_added: "Favourite added to line {n}.",
    rx_err_title: "There is a problem", rx_err_no_line: "Add at least one line to the prescription",
    rx_err_medicine: "Line {n}: enter the medicine", rx_err_dose: "Line {n}: enter the dosage",
    rx_err_duration: "Line {n}: enter the duration or the quantity",
    rx_err_renewals: "Line {n}: renewals go from 0 to 12",
    rx_err_last_name: "Enter the patient's last name (checked on an ID document)",
    rx_err_first_name: "Enter the patient's first name (checked on an ID document)",
    rx_err_sex: "Enter the patient's sex", rx_err_birth: "Enter a valid date of birth",
    rx_err_weight: "The weight is a number from 0 to 500 kg",
    rx_check: "Preview before sending", rx_back: "Back to editing",
    rx_preview_title: "Prescription preview", rx_preview_note: "An indicative rendering of what will print: the cabin composes the PDF.",
    rx_card_patient: "Patient: identity from the Carte Vitale",
    link_down: "Link to the cabin interrupted: requests wait for it to come back.",
    cannot_hear: "The patient cannot hear you. Speak louder, move closer to the microphone, check that it is not muted.",
    cannot_hear_ok: "Got it",
    not_confirmed: "Not confirmed by the cabin (link lost): send again.",
    patient_left: "This patient has left the cabin.", state_ended: "left",
    end_confirm_title: "End the consultation?", end_cancel: "Continue the consultation",
    end_confirm: "End", end_prints: "The cabin will print: {what}.", end_prints_nothing: "Nothing to print.",
    end_unanswered: "Warning: {n} sending(s) not confirmed by the cabin yet.",
    summary_title: "Consultation summary", summary_close: "Close the summary",
    summary_when: "Cabin {cabin} · {start}–{end} ({minutes} min) · ended by {who}",
    ended_by_doctor: "you", ended_by_cabin: "the cabin",
    summary_docs: "Documents sent: {docs}", summary_no_docs: "Documents sent: none",
    summary_results: "Readings sheet ({n}) to be printed by the cabin", results_sheet: "readings sheet",
    doc_prescription: "prescription (form, version {v})", doc_pdf: "PDF prescription",
    doc_ok: "{doc} received ✓", doc_refused: "{doc} refused ✗", doc_pending: "{doc} not confirmed ✗",
    summary_printer_ok: "Printing at the cabin: ✓ printer ready, no error reported",
    summary_printer_busy: "Printing at the cabin: printing…",
    summary_printer_bad: "Printing at the cabin: ✗ printer {state}{why}",
    summary_printer_unknown: "Printing at the cabin: ? printer state unknown",
    summary_printer_offline: "Printing at the cabin: ? cabin offline",
    summary_printer_none: "Printing at the cabin: nothing to print",
    timer_label: "Time", timer_name: "Consultation time", notes: "Notes",
    notes_help: "Kept in this browser only, sent nowhere, cleared when the consultation ends.",
    shortcuts: "Keyboard shortcuts", shortcuts_note: "Outside a text field.", key_shift: "Shift",
    shortcut_measure: "Ask for a measurement: blood pressure, temperature, weight, SpO₂",
    shortcut_mute: "Mute or unmute your microphone",
    shortcut_end: "End the consultation (asks to confirm)",
    fullscreen: "Full screen", fullscreen_exit: "Leave full screen", key_escape: "Esc",
    shortcut_escape: "Leave full screen", fullscreen_refused: "The browser refused full screen.",
    self_move: "Move my picture", corner_br: "(bottom right)", corner_bl: "(bottom left)",
    corner_tl: "(top left)", corner_tr: "(top right)",
    media_setup: "Microphone and camera", mic_choose: "Microphone", camera_choose: "Camera",
    mic_n: "Microphone {n}", camera_n: "Camera {n}", no_device: "none found",
    mic_changed: "Microphone changed.", camera_changed: "Camera changed.", device_next_call: "Used from the next consultation.",
    device_failed: "This device does not answer: the previous one stays in use.",
  },
};

// How a doctor writes a reading: short labels, units as symbols, the device's reasons in words.
const LABELS = {
  fr: { bp: "TA", hr: "FC", map: "PAM", temp: "T°", spo2: "SpO2", weight: "Poids", bmi: "IMC",
    height: "Taille", cuff: "Brassard", pi: "IP", body_fat: "Masse grasse", muscle_mass: "Masse musculaire",
    muscle_percentage: "Muscles", fat_free_mass: "Masse maigre", soft_lean_mass: "Masse maigre molle",
    body_water_mass: "Eau corporelle", basal_metabolism: "Métabolisme de base", impedance: "Impédance" },
  en: { bp: "BP", hr: "HR", map: "MAP", temp: "T°", spo2: "SpO2", weight: "Weight", bmi: "BMI",
    height: "Height", cuff: "Cuff", pi: "PI", body_fat: "Body fat", muscle_mass: "Muscle mass",
    muscle_percentage: "Muscle", fat_free_mass: "Fat-free mass", soft_lean_mass: "Soft lean mass",
    body_water_mass: "Body water", basal_metabolism: "Basal metabolism", impedance: "Impedance" },
};
const UNITS = {
  "mm[Hg]": "mmHg", kPa: "kPa", Cel: "°C", "[degF]": "°F", kg: "kg", "[lb_av]": "lb", g: "g",
  "%": "%", "/min": "/min", m: "m", "[in_i]": "in", "kg/m2": "kg/m²", kJ: "kJ", Ohm: "Ω",
};
const SITES = {
  fr: { armpit: "aisselle", body: "corps", ear: "oreille", finger: "doigt", gastrointestinal: "digestive",
    mouth: "buccale", rectum: "rectale", toe: "orteil", tympanum: "tympan" },
  en: { armpit: "armpit", body: "body", ear: "ear", finger: "finger", gastrointestinal: "gastro-intestinal",
    mouth: "mouth", rectum: "rectal", toe: "toe", tympanum: "tympanum" },
};
// The devices' own reasons and flags (drivers' codes), in words; an unknown code shows as
// words too (its underscores as spaces), never as a key.
const WORDS = {
  fr: {
    aborted: "mesure interrompue", air_leak_or_loose_cuff: "brassard mal serré ou fuite d'air",
    air_leak: "fuite d'air", artifact: "mouvement pendant la mesure", blockage: "tuyau du brassard bouché",
    calibration_error: "erreur d'étalonnage", hardware_error: "erreur matérielle",
    out_of_range: "valeur hors de la plage de l'appareil", overpressure: "surpression du brassard",
    safety_override: "arrêt de sécurité", safety_timeout: "délai de sécurité dépassé",
    time_limit_exceeded: "durée maximale dépassée", transducer_error: "erreur du capteur",
    unknown_error: "erreur inconnue", weak_signal: "signal trop faible",
    overload: "au-delà de la portée de la balance", no_value: "aucune valeur transmise",
    missing: "aucune valeur transmise", nan: "aucune valeur transmise", nres: "résolution insuffisante",
    plus_infinity: "valeur hors de la plage de l'appareil", minus_infinity: "valeur hors de la plage de l'appareil",
    reserved: "valeur non reconnue", finger_out: "doigt retiré du capteur", probe_error: "erreur du capteur",
    searching: "recherche du pouls", unstable: "pesée instable", sensor_disconnected: "capteur débranché",
    out_of_track: "signal perdu (doigt retiré ?)", sensor_alarm: "alarme du capteur",
    perfusion_green: "perfusion bonne", perfusion_yellow: "perfusion faible", perfusion_red: "perfusion très faible",
    body_movement: "mouvement pendant la mesure", cuff_loose: "brassard mal serré", cuff_too_loose: "brassard mal serré",
    irregular_pulse: "pouls irrégulier", improper_position: "position incorrecte",
    pulse_rate_high: "pouls au-dessus de la plage", pulse_rate_low: "pouls au-dessous de la plage",
    low_perfusion: "perfusion faible", erratic_signal: "signal irrégulier", poor_signal: "signal faible",
    sensor_displaced: "capteur déplacé", sensor_unconnected: "capteur non branché",
    sensor_malfunction: "capteur défaillant", questionable_measurement: "mesure douteuse",
    questionable_pulse: "pouls douteux", invalid_measurement: "mesure invalide",
    measurement_unsuccessful: "mesure échouée", device_clock_off: "horloge de l'appareil ignorée",
    device_time_invalid: "heure de l'appareil invalide", device_clock_not_set: "horloge de l'appareil non réglée",
    data_from_storage: "mesure enregistrée dans l'appareil", not_a_number: "aucune valeur transmise",
    not_at_this_resolution: "résolution insuffisante", nonpulsatile_signal: "signal non pulsatile",
    signal_processing_irregularity: "signal irrégulier", equipment_malfunction: "appareil défaillant",
  },
  en: {
    aborted: "measurement interrupted", air_leak_or_loose_cuff: "cuff too loose or air leak",
    air_leak: "air leak", artifact: "movement during the measurement", blockage: "cuff tube blocked",
    calibration_error: "calibration error", hardware_error: "hardware error",
    out_of_range: "out of the device's range", overpressure: "cuff overpressure",
    safety_override: "safety stop", safety_timeout: "safety time-out",
    time_limit_exceeded: "time limit exceeded", transducer_error: "sensor error",
    unknown_error: "unknown error", weak_signal: "signal too weak",
    overload: "over the scale's capacity", no_value: "no value sent",
    missing: "no value sent", nan: "no value sent", nres: "not at this resolution",
    plus_infinity: "out of the device's range", minus_infinity: "out of the device's range",
    reserved: "unrecognised value", finger_out: "finger out of the probe", probe_error: "probe error",
    searching: "searching for a pulse", unstable: "weight not stable", sensor_disconnected: "probe disconnected",
    out_of_track: "signal lost (finger out?)", sensor_alarm: "probe alarm",
    perfusion_green: "good perfusion", perfusion_yellow: "weak perfusion", perfusion_red: "very weak perfusion",
    body_movement: "movement during the measurement", cuff_loose: "cuff too loose", cuff_too_loose: "cuff too loose",
    irregular_pulse: "irregular pulse", improper_position: "improper position",
    pulse_rate_high: "pulse above range", pulse_rate_low: "pulse below range",
    low_perfusion: "weak perfusion", erratic_signal: "erratic signal", poor_signal: "poor signal",
    sensor_displaced: "probe displaced", sensor_unconnected: "probe not connected",
    sensor_malfunction: "probe malfunction", questionable_measurement: "questionable measurement",
    questionable_pulse: "questionable pulse", invalid_measurement: "invalid measurement",
    measurement_unsuccessful: "measurement unsuccessful", device_clock_off: "device clock ignored",
    device_time_invalid: "device time invalid", device_clock_not_set: "device clock not set",
    data_from_storage: "stored in the device", not_a_number: "no value sent",
    not_at_this_resolution: "not at this resolution", nonpulsatile_signal: "non-pulsatile signal",
    signal_processing_irregularity: "irregular signal", equipment_malfunction: "equipment malfunction",
  },
};
// A failed attempt says why and what to do, once: "brassard mal serré — refaire"
const REDO = new Set(["no_valid_value", "timeout", "device_error", "bad_data"]);
const LATEST_ORDER = ["blood_pressure", "spo2", "temperature", "weight", "body_composition"];

const DATA_TYPES = new Set(["identity", "reading", "live", "measuring", "cannot_hear", "quality", "end", "ack", "error"]);
// A measurement's states and a failure's reasons: closed sets, as in the cabin's protocol
// (kiosk/protocol.py: MEASUREMENT_KINDS, MeasuringState, MeasuringReason).
const MEASUREMENT_KINDS = ["blood_pressure", "temperature", "weight", "spo2"];
const MEASURING_STATES = new Set(["requested", "in_progress", "done", "failed", "cancelled"]);
const MEASURING_REASONS = new Set([
  "no_device", "unavailable", "unplugged", "timeout", "device_error", "bad_data", "no_valid_value",
]);
const MAX_DATA_BYTES = 60 * 1024;
const CHUNK_BYTES = 32 * 1024;
const MAX_PDF_BYTES = 5 * 1024 * 1024;
const MAX_READINGS = 500;
// no new video frame for this long: the link is taken as lost (the picture dims)
const FROZEN_MS = 2500;
// the live curve: the last minute of what the instrument showed
const CURVE_MS = 60000;
// this page's own mark in its message ids: a request sent again after a drop keeps its id
// (the cabin applies it once), and a reloaded page never reuses an id of the session
const PAGE_ID = Math.random().toString(36).slice(2, 8);

const $ = (id) => document.getElementById(id);
let lang = localStorage.getItem("cabine-lang") || (navigator.language || "fr").slice(0, 2);
if (!TEXT[lang]) lang = "fr";
const t = (key) => (TEXT[lang][key] ?? TEXT.fr[key] ?? key);
// A text with {name} parameters; a parameter given as ["key", {...}] is itself translated,
// so a text kept on the page follows the language switch.
function tf(key, params = {}) {
  return t(key).replace(/\{(\w+)\}/g, (_, name) => {
    const v = params[name];
    if (Array.isArray(v)) return tf(v[0], v[1] || {});
    return v === undefined || v === null ? "" : String(v);
  });
}
// "Poids : 72,5 kg" in French (a space before the colon), "Weight: 72.5 kg" in English
const colon = () => (lang === "fr" ? " : " : ": ");
const locale = () => (lang === "fr" ? "fr-FR" : "en-GB");
function num(value, digits = 2) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}
function clock(when) {
  const d = when instanceof Date ? when : new Date(when);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
}
function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return tf("seconds", { s });
  return tf("lost_min", { m: Math.floor(s / 60), s: String(s % 60).padStart(2, "0") });
}
// A status line kept as its key and parameters: said again in the new language on a switch.
function say(el, key, params) {
  const node = typeof el === "string" ? $(el) : el;
  if (!key) { delete node.dataset.say; node.textContent = ""; return; }
  node.dataset.say = JSON.stringify([key, params || {}]);
  node.textContent = tf(key, params);
}

const state = {
  me: null, ice: [], icePolicy: "all", ws: null, wsRetry: 0, loggedOut: false,
  call: null,           // {callId, sessionId, cabinId, startedAt}
  pc: null, channel: null, local: null, seq: 0,
  pending: new Map(),   // message id -> {msg, done, resend}: sent, not yet answered
  quality: "", stats: {}, statsTimer: null, room: null, roomAt: 0,
  patient: null,        // {sessionId}: whose data the call view holds (kept across reconnections)
  identity: null,       // the identity message, while the call lasts (re-rendered on a switch)
  nirShown: false,
  readings: [], readingSeqs: new Set(), readingCount: 0, errors: 0,
  measures: {},         // kind -> {state, reason, since}: where each measurement asked stands
  asking: new Set(),    // kinds whose request the cabin has not answered yet
  live: {},             // kind -> {reading, at}: what the instrument shows while it measures
  curve: [],            // [{at, value}] of the live kind drawn
  curveKind: "",
  rx: null,             // {sessionId, rxId, version, locked}: the form, bound to one session
  pdfPending: false,
  sent: [],             // documents sent this call: {kind, version, status}
  lastFrameAt: 0,       // when the cabin's video last moved (performance.now())
  endedSessions: new Set(),  // sessions that ended (no patient data): never taken again
  taking: "",           // the session this doctor last asked to take
  summary: null,        // the last consultation's summary (no patient data)
  // where the patient's identity came from: "card", or no card read ("booking_code", "walk_in")
  identitySource: "", identityKey: "",
};
const CARDLESS = new Set(["booking_code", "walk_in"]);

// ---- language ---------------------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of document.querySelectorAll("[data-say]")) {
    const [key, params] = JSON.parse(el.dataset.say);
    el.textContent = tf(key, params);
  }
  for (const b of document.querySelectorAll("button.lang")) {
    b.setAttribute("aria-current", String(b.dataset.lang === lang));
  }
  document.title = t("title");
  const callState = $("call-state").dataset.state;
  if (callState) $("call-state").textContent = t(callState);
  if (state.room) renderRoom(state.room);
  renderIdentity();
  renderQuality();
  renderReadings();
  renderMeasures();
  renderLive();
  renderLost();
  renderSummary();
  renderFavourites();
  if ($("end-dialog").open) endWhat();
}

// ---- views ------------------------------------------------------------------------------

function show(view) {
  for (const v of ["login-view", "room-view", "call-view"]) $(v).hidden = v !== view;
  $("logout").hidden = view === "login-view";
}

function banner(key, params) {
  say("banner", key, params);
  $("banner").hidden = !key;
}

function setCallState(key) {
  $("call-state").textContent = t(key);
  $("call-state").dataset.state = key;
}

// ---- login ------------------------------------------------------------------------------

async function loadMe() {
  const r = await fetch("/api/me", { credentials: "same-origin" });
  if (r.status !== 200) { show("login-view"); return false; }
  const body = await r.json();
  state.me = body.doctor;
  renderFavourites();
  state.ice = body.ice_servers || [];
  state.icePolicy = body.ice_transport_policy === "relay" ? "relay" : "all";
  $("who").textContent = state.me.name;
  $("who").title = state.me.rpps_verified ? t("psc_verified").replace("{rpps}", state.me.rpps) : "";
  show("room-view");
  if (typeof papersLoaded === "function") papersLoaded();  // report.js: form on/off, signature
  connectSocket();
  return true;
}

async function login(ev) {
  ev.preventDefault();
  say("login-error", "");
  const r = await fetch("/api/login", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: $("username").value, password: $("password").value }),
  });
  $("password").value = "";
  if (r.status === 200) {
    const body = await r.json().catch(() => ({}));
    // staff on site manage appointments: their page is /staff, not the doctor's
    if (body.role === "staff") { window.location.assign(body.next || "/staff"); return; }
    state.loggedOut = false; await loadMe(); return;
  }
  say("login-error", r.status === 429 ? "login_locked" : "login_failed");
}

async function logout() {
  state.loggedOut = true;
  endCall(Boolean(state.call));  // a consultation under way ends: the cabin is told
  resetPatient("");
  state.room = null;
  state.summary = null;
  renderSummary();
  for (const id of ["patients", "cabins"]) $(id).querySelector("tbody").replaceChildren();
  if (state.ws) state.ws.close();
  await fetch("/api/logout", { method: "POST", credentials: "same-origin" });
  state.me = null;
  $("who").textContent = "";
  banner("");
  show("login-view");
}

// ---- portal socket ----------------------------------------------------------------------

function connectSocket() {
  if (state.ws && state.ws.readyState <= 1) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}/ws/doctor`);
  state.ws = ws;
  ws.onopen = () => { state.wsRetry = 0; banner(""); };
  ws.onmessage = (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch (e) { return; }
    if (msg && typeof msg.type === "string") onSignal(msg);
  };
  ws.onclose = () => {
    if (state.ws !== ws || state.loggedOut) return;
    banner("portal_lost");
    const delay = Math.min(10000, 500 * 2 ** state.wsRetry++);
    setTimeout(async () => {
      const r = await fetch("/api/me", { credentials: "same-origin" }).catch(() => null);
      // the call is peer to peer: a portal restart must not take the doctor off it
      if (r && r.status === 401) { if (!state.call) show("login-view"); return; }
      connectSocket();
    }, delay);
  };
}

function signal(msg) {
  if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(msg));
}

function onSignal(msg) {
  switch (msg.type) {
    case "waiting_room":
      state.room = msg; state.roomAt = performance.now();
      renderRoom(msg); renderSummary();
      break;
    case "taken": onTaken(msg); break;
    case "offer": onOffer(msg); break;
    case "hangup": onHangup(msg); break;
    case "error":
      if (msg.code === "taken") banner("taken_by_other");
      if (msg.code === "not_found" && msg.ref === "take" && state.taking) {
        // no longer in the portal's room (the patient left): off this page's list too,
        // until the portal's next list
        banner("patient_left");
        if (state.room) {
          const gone = state.taking;
          renderRoom({ ...state.room, patients: state.room.patients.filter((p) => p.session_id !== gone) });
        }
      }
      state.taking = "";
      state.errors += 1;
      break;
    default: break;
  }
}

// ---- waiting room -----------------------------------------------------------------------

function cabinName(cabinId) {
  const cabin = state.room && (state.room.cabins || []).find((c) => c.cabin_id === cabinId);
  const name = (cabin && cabin.name) || cabinId || "—";
  // a bus santé: where it stands today, which the doctor's claim and advice may need
  return cabin && cabin.today ? `${name} — ${tf("today_at", { where: cabin.today })}` : name;
}

// Seconds since the portal's list, so a waiting time goes on between two lists.
function sinceList() {
  return state.roomAt ? (performance.now() - state.roomAt) / 1000 : 0;
}

function waitingText(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return s < 60 ? tf("seconds", { s }) : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

function languageName(code) {
  try {
    return new Intl.DisplayNames([locale()], { type: "language" }).of(code) || code;
  } catch (e) { return code; }
}

// What the portal may say of a waiting patient (no health data): their screen's language,
// an age group, an appointment's slot.
function patientText(p) {
  const parts = [];
  if (typeof p.language === "string" && /^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(p.language)) {
    parts.push(languageName(p.language));
  }
  if (typeof p.age_group === "string" && p.age_group) {
    const over = /^(\d+)\+$/.exec(p.age_group);
    parts.push(over ? tf("age_group_over", { n: over[1] })
      : tf("age_group", { group: p.age_group.replace("-", "–") }));
  }
  if (p.booked && p.slot) parts.push(tf("slot", { slot: p.slot }));
  return parts.join(" · ") || "—";
}

function deviceText(devices) {
  return Object.entries(devices || {}).map(([id, word]) => {
    const name = TEXT.fr[`dev_${id}`] ? t(`dev_${id}`) : id;
    const status = TEXT.fr[`device_${word}`] ? t(`device_${word}`)
      : word === "no relay candidate" ? t("device_no_relay") : String(word).replace(/_/g, " ");
    return `${name}${colon()}${status}`;
  }).join(", ");
}

function printerText(c) {
  if (!c.printer) return "—";
  const why = c.printer_detail ? (TEXT.fr[`why_${c.printer_detail}`] ? t(`why_${c.printer_detail}`)
    : c.printer_detail.replace(/_/g, " ")) : "";
  return t("printer_" + c.printer) + (why ? ` (${why})` : "");
}

function renderRoom(room) {
  const body = $("patients").querySelector("tbody");
  body.replaceChildren();
  // with appointments, booked patients (sent first by the portal) and walk-ins apart
  let group = null;
  for (const p of room.patients) {
    if (p.booked !== undefined && p.booked !== group) {
      group = p.booked;
      const head = document.createElement("tr");
      head.className = "room-group";
      head.dataset.group = group ? "booked" : "walk-in";
      const th = document.createElement("th");
      th.colSpan = 5; th.scope = "colgroup"; th.textContent = t(group ? "booked" : "walk_ins");
      head.append(th); body.append(head);
    }
    const tr = document.createElement("tr");
    tr.dataset.session = p.session_id;
    if (p.booked !== undefined) tr.dataset.booked = p.booked ? "yes" : "no";
    // a session that ended (the cabin said so, or the portal lists it so) is greyed and
    // cannot be taken, even while an older list still shows it
    const ended = sessionEnded(p);
    tr.dataset.state = ended ? "ended" : p.state;
    const cells = [cabinName(p.cabin_id), patientText(p), "",
      t(ended ? "state_ended" : p.state === "waiting" ? "state_waiting" : "state_taken")];
    cells.forEach((text, i) => {
      const td = document.createElement("td"); td.textContent = text;
      if (i === 2) { td.className = "waited"; td.dataset.since = String(p.waiting_s || 0); }
      tr.append(td);
    });
    const td = document.createElement("td");
    if (p.state === "waiting" || p.mine || ended) {
      const b = document.createElement("button");
      b.type = "button"; b.className = "take"; b.textContent = t("take");
      b.disabled = ended;
      if (ended) b.title = t("patient_left");
      b.addEventListener("click", () => takePatient(p.session_id));
      td.append(b);
    }
    tr.append(td);
    body.append(tr);
  }
  $("no-patient").hidden = room.patients.length > 0;
  const cab = $("cabins").querySelector("tbody");
  cab.replaceChildren();
  for (const c of room.cabins) {
    const tr = document.createElement("tr");
    const cells = [cabinName(c.cabin_id), t(c.online ? "yes" : "no"), "",
      deviceText(c.devices) || "—", printerText(c), staffCall(c.staff_call)];
    tr.dataset.cabin = c.cabin_id;
    if (c.staff_call) tr.dataset.staffCall = c.staff_call.coming ? "coming" : "calling";
    cells.forEach((text, i) => {
      const td = document.createElement(i === 0 ? "th" : "td"); td.textContent = text;
      if (i === 0) td.scope = "row";
      if (i === 1) td.className = c.online ? "online-yes" : "online-no";
      if (i === 2 && c.heartbeat_age_s !== null && c.heartbeat_age_s !== undefined) {
        td.className = "heard"; td.dataset.since = String(c.heartbeat_age_s);
      }
      if (i === 2 && !td.className) td.textContent = "—";
      if (i === 5) td.className = "staff-call-cell";
      tr.append(td);
    });
    cab.append(tr);
  }
  if (typeof roomCounts === "function") roomCounts(room);  // room_counts.js: a region's totals
  tickRoom();
}

// Every second: waiting times and heartbeat ages go on between two lists of the portal.
function tickRoom() {
  const extra = sinceList();
  for (const td of document.querySelectorAll("#patients td.waited")) {
    td.textContent = waitingText(Number(td.dataset.since) + extra);
  }
  for (const td of document.querySelectorAll("#cabins td.heard")) {
    td.textContent = tf("ago", { s: waitingText(Number(td.dataset.since) + extra) });
  }
}

function sessionEnded(p) {
  return state.endedSessions.has(p.session_id) || (p.state !== "waiting" && p.state !== "taken");
}

function markEnded(sessionId) {
  if (!sessionId) return;
  state.endedSessions.add(sessionId);
  if (state.endedSessions.size > 500) state.endedSessions.delete(state.endedSessions.values().next().value);
}

function takePatient(sessionId) {
  if (state.endedSessions.has(sessionId)) {
    banner("patient_left");
    if (state.room) renderRoom(state.room);
    return;
  }
  state.taking = sessionId;
  signal({ type: "take", session_id: sessionId });
}

// A patient pressed "call staff" at the cabin: the doctor may phone the site.
function staffCall(call) {
  if (!call) return "—";
  const minutes = Math.floor(call.since_s / 60);
  const since = minutes < 1 ? t("under_a_minute") : `${minutes} min`;
  const called = tf("staff_called", { since });
  return call.coming ? `${called} ${tf("staff_coming", { name: call.coming })}` : called;
}

// ---- the call ---------------------------------------------------------------------------

async function localMedia() {
  if (state.local) return state.local;
  let stream = null;
  // the devices chosen; one gone since: the browser's own choice; none at all: no camera
  for (const constraints of [mediaConstraints(), { video: { width: 640, height: 480 }, audio: true }]) {
    try { stream = await navigator.mediaDevices.getUserMedia(constraints); break; } catch (e) { /* next */ }
  }
  if (state.local) { if (stream) for (const tr of stream.getTracks()) tr.stop(); return state.local; }
  state.local = stream || new MediaStream();  // the consultation goes on without our camera
  $("local-video").srcObject = state.local;
  listDevices();
  return state.local;
}

// ---- the doctor's microphone and camera, chosen (device ids only, kept in this browser) --

const MEDIA = {
  audio: { store: "cabine-mic", select: "mic-select", input: "audioinput", changed: "mic_changed", nth: "mic_n" },
  video: { store: "cabine-camera", select: "cam-select", input: "videoinput", changed: "camera_changed", nth: "camera_n" },
};

function mediaConstraints() {
  const pick = (kind, base) => {
    const id = localStorage.getItem(MEDIA[kind].store);
    return id ? { ...base, deviceId: { exact: id } } : (Object.keys(base).length ? base : true);
  };
  return { video: pick("video", { width: 640, height: 480 }), audio: pick("audio", {}) };
}

const localTrack = (kind) => (state.local ? state.local.getTracks().find((tr) => tr.kind === kind) : null);

async function listDevices() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return;
  let devices = [];
  try { devices = await navigator.mediaDevices.enumerateDevices(); } catch (e) { return; }
  for (const [kind, m] of Object.entries(MEDIA)) {
    const select = $(m.select);
    const found = devices.filter((d) => d.kind === m.input && d.deviceId);
    const options = found.map((d, i) => new Option(d.label || tf(m.nth, { n: i + 1 }), d.deviceId));
    select.replaceChildren(...(options.length ? options : [new Option(t("no_device"), "")]));
    select.disabled = !options.length;
    const track = localTrack(kind);
    const current = (track && track.getSettings().deviceId) || localStorage.getItem(m.store) || "";
    if (options.some((o) => o.value === current)) select.value = current;
  }
}

// Another device while the call lasts: its track replaces the one sent (no renegotiation),
// muted or off as the one before; the choice is kept for the next consultations.
async function chooseDevice(kind) {
  const m = MEDIA[kind];
  const id = $(m.select).value;
  if (!id) return;
  localStorage.setItem(m.store, id);
  const old = localTrack(kind);
  if (!old) { say("media-status", "device_next_call"); return; }
  let track;
  try {
    track = (await navigator.mediaDevices.getUserMedia({ [kind]: mediaConstraints()[kind] })).getTracks()[0];
  } catch (e) {
    say("media-status", "device_failed");
    listDevices();
    return;
  }
  if (!state.local || localTrack(kind) !== old) { track.stop(); return; }  // the call ended meanwhile
  track.enabled = old.enabled;
  const sender = state.pc && state.pc.getSenders().find((sn) => sn.track === old);
  if (sender) { try { await sender.replaceTrack(track); } catch (e) { /* the next call sends it */ } }
  state.local.removeTrack(old);
  old.stop();
  state.local.addTrack(track);
  $("local-video").srcObject = state.local;
  say("media-status", m.changed);
}

function onTaken(msg) {
  if (state.endedSessions.has(msg.session_id)) {
    // the patient has left: no call to the goodbye screen
    signal({ type: "hangup", call_id: msg.call_id });
    banner("patient_left");
    return;
  }
  banner("");
  state.taking = "";
  // the same session again (the call was rebuilt after a drop): what the page holds stays;
  // another patient: nothing of the previous one remains
  const same = Boolean(state.patient && state.patient.sessionId === msg.session_id);
  if (!same) resetPatient(msg.session_id);
  const room = state.room && state.room.patients.find((p) => p.session_id === msg.session_id);
  const before = same && state.call ? state.call : null;
  state.call = {
    callId: msg.call_id, sessionId: msg.session_id,
    cabinId: before ? before.cabinId : room ? room.cabin_id : "",
    startedAt: before ? before.startedAt : Date.now(),
  };
  state.summary = null;
  renderSummary();
  show("call-view");
  setCallState(same ? "call_reconnecting" : "call_waiting");
  renderLink();
  renderTimer();
  localMedia();
}

async function onOffer(msg) {
  if (!state.call || msg.call_id !== state.call.callId) return;  // stale offer
  closePeer();
  setCallState("call_connecting");
  const pc = new RTCPeerConnection({ iceServers: state.ice, iceTransportPolicy: state.icePolicy });
  state.pc = pc;
  const stream = await localMedia();
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  // the cabin's camera and microphone first; a second video track is the exam camera
  let videos = 0;
  pc.ontrack = (ev) => {
    if (typeof examTrack === "function" && examTrack(pc, ev)) return;  // exam.js: the instruments
    const exam = ev.track.kind === "video" && videos++ > 0;
    const video = $(exam ? "exam-video" : "remote-video");
    if (!video.srcObject) video.srcObject = new MediaStream();
    video.srcObject.addTrack(ev.track);
    if (exam) $("exam").hidden = false;
  };
  pc.ondatachannel = (ev) => setupChannel(ev.channel);
  pc.onconnectionstatechange = () => {
    if (state.pc !== pc) return;
    if (pc.connectionState === "connected") setCallState("call_connected");
    else if (pc.connectionState === "disconnected" || pc.connectionState === "failed") {
      setCallState("call_reconnecting");
    }
    renderLink();
    renderLost();
  };
  await pc.setRemoteDescription({ type: "offer", sdp: msg.sdp });
  await pc.setLocalDescription(await pc.createAnswer());
  // aiortc takes no trickled candidates: answer once gathering is complete
  await new Promise((resolve) => {
    if (pc.iceGatheringState === "complete") { resolve(); return; }
    const done = () => { if (pc.iceGatheringState === "complete") resolve(); };
    pc.addEventListener("icegatheringstatechange", done);
    setTimeout(resolve, 3000);
  });
  if (state.pc !== pc) return;
  signal({ type: "answer", call_id: msg.call_id, sdp: pc.localDescription.sdp });
  startStats();
}

function onHangup(msg) {
  if (!state.call || msg.call_id !== state.call.callId) return;
  if (msg.reason === "restart") {
    closePeer();
    setCallState("call_reconnecting");  // a "taken" with the new call id follows
    renderLink();
    renderLost();
    return;
  }
  if (msg.reason === "ended" || msg.reason === "gone") markEnded(state.call.sessionId);
  endCall(false);
}

// The cabin's last picture, kept (dimmed) while the call is rebuilt after a drop: the doctor
// sees the frozen video, not a black square. Cleared with the patient's data.
function freezeFrame() {
  const video = $("remote-video");
  if (!video.videoWidth) return;
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth; canvas.height = video.videoHeight;
  try {
    canvas.getContext("2d").drawImage(video, 0, 0);
    video.poster = canvas.toDataURL("image/jpeg", 0.8);
  } catch (e) { /* no picture to keep */ }
}

function closePeer() {
  if (state.statsTimer) { clearInterval(state.statsTimer); state.statsTimer = null; }
  if (state.call) freezeFrame();
  if (state.channel) {
    const ch = state.channel;
    ch.onmessage = ch.onopen = ch.onclose = null;
    ch.close();
    state.channel = null;
  }
  if (state.pc) { state.pc.close(); state.pc = null; }
  for (const id of ["remote-video", "exam-video"]) {
    const video = $(id);
    if (video.srcObject) { for (const tr of video.srcObject.getTracks()) tr.stop(); }
    video.srcObject = null;
  }
  $("exam").hidden = true;
  if (typeof examPeerClosed === "function") examPeerClosed();  // exam.js: instruments off
  if (typeof networkPeerClosed === "function") networkPeerClosed();  // network.js: video back
}

// "End": a confirmation first, saying what the cabin will print (Escape or "continue" stays).
function endWhat() {
  const docs = state.sent.filter((d) => d.status !== "refused").map((d) => docName(d));
  if (state.readings.some((r) => Object.keys(r.values || {}).length)) {
    docs.push(t("results_sheet"));
  }
  const waiting = state.sent.filter((d) => d.status === "sent").length;
  let what = docs.length ? tf("end_prints", { what: docs.join(", ") }) : t("end_prints_nothing");
  if (waiting) what += ` ${tf("end_unanswered", { n: waiting })}`;
  $("end-what").textContent = what;
  return what;
}

function askEnd() {
  if (!state.call) return;
  const what = endWhat();
  const dialog = $("end-dialog");
  if (typeof dialog.showModal === "function") {
    if (!dialog.open) dialog.showModal();
    $("end-cancel").focus();
  } else if (window.confirm(`${t("end_confirm_title")}\n${what}`)) {
    endCall(true);
  }
}

function endCall(sendEnd) {
  if ($("end-dialog").open) $("end-dialog").close();
  if (sendEnd && state.call) {
    sendData({ type: "end", reason: "doctor" });
    signal({ type: "hangup", call_id: state.call.callId });
    markEnded(state.call.sessionId);
  }
  const ended = state.call;
  if (ended && !state.loggedOut) state.summary = makeSummary(ended, sendEnd);
  closePeer();
  if (state.local) { for (const tr of state.local.getTracks()) tr.stop(); state.local = null; }
  $("local-video").srcObject = null;
  // the next call starts with a new microphone and camera, both on: the buttons say so
  for (const [id, key] of [["mute", "mute"], ["camera", "camera_off"]]) {
    $(id).setAttribute("aria-pressed", "false");
    $(id).dataset.i18n = key;
    $(id).textContent = t(key);
  }
  state.call = null;
  renderTimer();  // the timer stops with the call
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  // the patient's data leaves the page with the call (DESIGN §6)
  resetPatient("");
  if (state.me) { show("room-view"); banner(sendEnd ? "call_ended" : ""); }
  if (state.room) renderRoom(state.room);
  renderSummary();
  if (state.summary && !state.loggedOut) $("summary").focus();
}

// ---- end-of-call summary: what was sent and what the cabin's printer says ----------------
// No patient data: the cabin, the times, the documents' kinds and the cabin's answers.

function docName(d) {
  if (d.kind === "gp_report") return tf("doc_gp_report", { v: d.version });
  return d.kind === "pdf" ? t("doc_pdf") : tf("doc_prescription", { v: d.version });
}

function makeSummary(call, byDoctor) {
  const valid = state.readings.filter((r) => Object.keys(r.values || {}).length).length;
  return {
    cabinId: call.cabinId, start: call.startedAt, end: Date.now(), byDoctor,
    docs: state.sent.map((d) => ({ ...d })), readings: state.readings.length, valid,
  };
}

function summaryPrinter(s) {
  if (!s.docs.some((d) => d.status === "received") && !s.valid) return ["summary_printer_none", {}];
  const cabin = state.room && (state.room.cabins || []).find((c) => c.cabin_id === s.cabinId);
  if (!cabin || !cabin.online) return ["summary_printer_offline", {}];
  if (cabin.printer === "idle") return ["summary_printer_ok", {}];
  if (cabin.printer === "printing") return ["summary_printer_busy", {}];
  if (cabin.printer === "stopped" || cabin.printer === "missing") {
    const why = cabin.printer_detail ? `${colon()}${TEXT.fr[`why_${cabin.printer_detail}`]
      ? t(`why_${cabin.printer_detail}`) : cabin.printer_detail.replace(/_/g, " ")}` : "";
    return ["summary_printer_bad", { state: ["printer_" + cabin.printer], why }];
  }
  return ["summary_printer_unknown", {}];
}

function renderSummary() {
  const box = $("summary");
  const s = state.summary;
  box.hidden = !s;
  const list = $("summary-lines");
  list.replaceChildren();
  if (!s) return;
  const add = (key, params, cls) => {
    const li = document.createElement("li");
    li.textContent = tf(key, params);
    if (cls) li.className = cls;
    list.append(li);
    return li;
  };
  add("summary_when", {
    cabin: cabinName(s.cabinId), start: clock(s.start), end: clock(s.end),
    minutes: Math.max(1, Math.round((s.end - s.start) / 60000)),
    who: [s.byDoctor ? "ended_by_doctor" : "ended_by_cabin"],
  });
  const docs = s.docs.map((d) => tf(d.status === "received" ? "doc_ok" : d.status === "refused"
    ? "doc_refused" : "doc_pending", { doc: docName(d) }));
  add(docs.length ? "summary_docs" : "summary_no_docs", { docs: docs.join(", ") },
    s.docs.some((d) => d.status !== "received") ? "bad" : "");
  if (s.valid) add("summary_results", { n: s.valid });
  const [key, params] = summaryPrinter(s);
  add(key, params, key === "summary_printer_ok" ? "good" : key === "summary_printer_bad" ? "bad" : "")
    .id = "summary-printer";
}

// ---- data channel -----------------------------------------------------------------------

function setupChannel(channel) {
  state.channel = channel;
  channel.onopen = () => onChannelOpen(channel);
  channel.onclose = () => { if (state.channel === channel) renderLink(); };
  if (channel.readyState === "open") setTimeout(() => onChannelOpen(channel), 0);
  channel.onmessage = (ev) => {
    if (typeof ev.data !== "string" || ev.data.length > MAX_DATA_BYTES) {
      sendData({ type: "error", code: "too_large", message: "message too large" });
      return;
    }
    let msg;
    try { msg = JSON.parse(ev.data); } catch (e) {
      sendData({ type: "error", code: "malformed", message: "not JSON" }); return;
    }
    if (!msg || typeof msg !== "object" || !DATA_TYPES.has(msg.type)) {
      sendData({ type: "error", code: "unknown_type", message: "unknown message type" }); return;
    }
    try { onData(msg); } catch (e) {
      sendData({ type: "error", code: "bad_field", message: "bad message", ref: msg.type });
      return;
    }
    if (msg.id && msg.type !== "ack") sendData({ type: "ack", id: String(msg.id) });
  };
}

// A new data channel (first, or after a reconnection): the cabin hears which readings of
// the session the page holds, and sends the others; requests the dropped link never
// answered go again under the same id (the cabin applies each once), the rest are told.
function onChannelOpen(channel) {
  if (state.channel !== channel || channel.readyState !== "open" || !state.call) return;
  if (channel.resumed) return;
  channel.resumed = true;
  sendData({ type: "resume", session_id: state.call.sessionId, readings: [...state.readingSeqs] });
  if (typeof papersChannelOpen === "function") papersChannelOpen();  // report.js: who the doctor is
  for (const [id, p] of state.pending) {
    if (p.resend) channel.send(JSON.stringify(p.msg));
    else { state.pending.delete(id); p.done(false, "link_lost"); }
  }
  renderLink();
}

function linkUp() {
  const ch = state.channel, pc = state.pc;
  return Boolean(state.call && ch && ch.readyState === "open" && pc
    && !["disconnected", "failed", "closed"].includes(pc.connectionState));
}

// While the link to the cabin is down, nothing can be asked of it: the buttons wait, and
// a note says why (a request sent into a dead link is sent again when it is back).
function renderLink() {
  const up = linkUp();
  $("call-view").dataset.link = up ? "up" : "down";
  $("link-note").hidden = !state.call || up;
  renderControls();
}

function renderControls() {
  const up = linkUp();
  for (const b of document.querySelectorAll("button.measure")) b.disabled = !up || state.asking.has(b.dataset.kind);
  for (const b of document.querySelectorAll("button.ask-again")) {
    b.disabled = !up || state.asking.has(b.closest("li").dataset.kind);
  }
  $("rx-send").disabled = !up || !state.rx || state.rx.locked;
  $("pdf-send").disabled = !up || state.pdfPending;
}

function sendData(msg, onAck, resend = false) {
  const ch = state.channel;
  if (!ch || ch.readyState !== "open") return false;
  if (msg.type !== "ack" && msg.type !== "error" && !msg.id) {
    msg.id = `d${PAGE_ID}-${++state.seq}`;
  }
  if (onAck && msg.id) state.pending.set(msg.id, { msg, done: onAck, resend });
  ch.send(JSON.stringify(msg));
  return true;
}

function onData(msg) {
  switch (msg.type) {
    case "identity": {
      const source = CARDLESS.has(msg.source) ? msg.source : "card";
      setIdentitySource(source, `${msg.session_id || ""}|${source}`);
      state.identity = source === "card" ? {
        last: String(msg.last_name || ""), first: String(msg.first_name || ""),
        birth: String(msg.birth_date || ""), nir: String(msg.nir || ""),
        consent: String(msg.consent_time || ""),
      } : { last: "", first: "", birth: "", nir: "", consent: String(msg.consent_time || "") };
      renderIdentity();
      break;
    }
    case "reading": {
      if (!msg.reading || typeof msg.reading.kind !== "string") throw new Error("bad reading");
      // numbered by the cabin: each kept once (it sends again what a dropped link lost)
      const seq = Number.isInteger(msg.seq) && msg.seq > 0 ? msg.seq : 0;
      if (seq && state.readingSeqs.has(seq)) break;
      state.readings.push({ ...msg.reading, seq, arrival: ++state.readingCount });
      state.readings.sort((a, b) => (b.seq - a.seq) || (b.arrival - a.arrival));
      state.readings.length = Math.min(state.readings.length, MAX_READINGS);
      state.readingSeqs = new Set(state.readings.map((r) => r.seq).filter(Boolean));
      renderReadings();
      renderMeasures();
      break;
    }
    case "live": {
      const r = msg.reading;
      if (!r || typeof r.kind !== "string" || typeof r.values !== "object" || r.values === null) {
        throw new Error("bad live reading");
      }
      onLive(r);
      break;
    }
    case "measuring": {
      const failed = msg.state === "failed";
      if (!MEASUREMENT_KINDS.includes(msg.kind) || !MEASURING_STATES.has(msg.state)
        || (failed ? !MEASURING_REASONS.has(msg.reason) : msg.reason !== undefined)) {
        throw new Error("bad measuring");
      }
      const before = state.measures[msg.kind];
      const since = before && before.state === msg.state ? before.since : performance.now();
      // what the instrument last showed stays with the attempt (a time-out says it)
      const lastLive = before && msg.state !== "requested" ? before.lastLive : undefined;
      state.measures[msg.kind] = { state: msg.state, reason: failed ? msg.reason : "", since, lastLive };
      if (msg.state !== "in_progress") endLive(msg.kind);
      renderMeasures();
      break;
    }
    case "fhir_bundle": if (typeof onFhirBundle === "function") onFhirBundle(msg); break;  // fhir.js
    case "exam_state": if (typeof onExamState === "function") onExamState(msg); break;  // exam.js
    case "exam_still": if (typeof onExamStill === "function") onExamStill(msg); break;  // exam.js
    case "network": if (typeof onNetwork === "function") onNetwork(msg); break;  // network.js
    case "cannot_hear":
      // pressed in the cabin: stays in sight until the doctor dismisses it (or the call ends)
      $("hear-alert").hidden = false;
      $("hear-ok").focus();
      break;
    case "ack": {
      const p = state.pending.get(msg.id);
      state.pending.delete(msg.id);
      if (p) p.done(true);
      break;
    }
    case "error": {
      state.errors += 1;
      const p = msg.ref && state.pending.get(msg.ref);
      if (p) { state.pending.delete(msg.ref); p.done(false, msg.code); }
      break;
    }
    case "end":
      if (state.call) markEnded(state.call.sessionId);
      endCall(false);
      banner("call_ended");
      break;
    // the patient's mute and preset answers: the doctor's aids (chat.js)
    default: if (typeof onAidData === "function") onAidData(msg); break;
  }
}

// ---- identity: one line always in sight ---------------------------------------------------

// The NIR's first digit gives the sex (1, 3, 7 men; 2, 4, 8 women), as on the cabin.
const SEX_OF_NIR = { 1: "M", 3: "M", 7: "M", 2: "F", 4: "F", 8: "F" };

function groupNir(nir) {
  // 2 85 06 75 056 078 02: sex, year, month, department, commune, order, key
  const n = nir.replace(/\s/g, "");
  if (n.length !== 15) return n;
  return [n.slice(0, 1), n.slice(1, 3), n.slice(3, 5), n.slice(5, 7), n.slice(7, 10),
    n.slice(10, 13), n.slice(13, 15)].join(" ");
}

function ageText(birth) {
  // the card's AAAAMMJJ; a lunar date (month or day 00) counts from what it gives
  if (!/^\d{8}$/.test(birth)) return "";
  const y = Number(birth.slice(0, 4)), m = Number(birth.slice(4, 6)) || 1, d = Number(birth.slice(6, 8)) || 1;
  const now = new Date();
  let months = (now.getFullYear() - y) * 12 + (now.getMonth() + 1 - m);
  if (now.getDate() < d) months -= 1;
  if (months < 0 || y < 1850) return "";
  if (months < 24) return tf("age_months", { n: months });
  const years = Math.floor(months / 12);
  return years === 1 ? t("age_year") : tf("age_years", { n: years });
}

function renderIdentity() {
  const who = state.identity;
  const name = who ? `${who.last.toUpperCase()} ${who.first}`.trim() : "";
  $("id-name").textContent = name || "—";
  const sex = who && who.nir ? SEX_OF_NIR[who.nir[0]] || "" : "";
  $("id-sex").textContent = sex ? t(`sex_${sex}`) : "";
  $("id-sex").title = sex ? t(`sex_name_${sex}`) : "";
  $("part-sex").hidden = !sex;
  const age = who ? ageText(who.birth) : "";
  $("id-age").textContent = age;
  $("part-age").hidden = !age;
  const b = who ? who.birth : "";
  $("id-birth").textContent = !b ? "—" : b.length === 8 ? `${b.slice(6)}/${b.slice(4, 6)}/${b.slice(0, 4)}` : b;
  $("part-birth").hidden = !b;
  const nir = who ? who.nir : "";
  // masked until the doctor shows it: a screen shared or a passer-by sees no number
  const nirEl = $("id-nir");
  nirEl.textContent = !nir ? "—" : state.nirShown ? groupNir(nir) : groupNir(nir).replace(/[0-9AB]/g, "•");
  nirEl.dataset.masked = String(Boolean(nir) && !state.nirShown);
  if (nir && !state.nirShown) nirEl.setAttribute("aria-label", `${t("nir")}${colon()}${t("nir_hidden")}`);
  else nirEl.removeAttribute("aria-label");
  const reveal = $("nir-reveal");
  reveal.hidden = $("nir-copy").hidden = !nir;
  reveal.setAttribute("aria-pressed", String(state.nirShown));
  reveal.dataset.i18n = state.nirShown ? "nir_hide" : "nir_show";
  reveal.textContent = t(reveal.dataset.i18n);
  $("id-consent").textContent = who && who.consent ? new Date(who.consent).toLocaleString(locale(), {
    day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" }) : "—";
}

function toggleNir() {
  state.nirShown = !state.nirShown;
  renderIdentity();
}

async function copyNir() {
  const nir = state.identity ? state.identity.nir : "";
  if (!nir) return;
  let ok = false;
  try {
    await navigator.clipboard.writeText(nir);
    ok = true;
  } catch (e) {
    // no clipboard permission: the old way, from a field made for it and removed at once
    const area = document.createElement("textarea");
    area.value = nir; area.setAttribute("readonly", ""); area.className = "offscreen";
    document.body.append(area); area.select();
    try { ok = document.execCommand("copy"); } catch (e2) { ok = false; }
    area.remove();
  }
  say("nir-status", ok ? "nir_copied" : "nir_copy_failed");
  setTimeout(() => { if ($("nir-status").dataset.say) say("nir-status", ""); }, 4000);
}

// Without a card, the note says so and the prescription asks for the identity the doctor
// checked on camera; with a card, the card's identity is used and the inputs stay out.
function setIdentitySource(source, key) {
  const note = $("identity-note");
  note.dataset.source = source;
  note.dataset.i18n = source === "card" ? "identity_note" : `identity_note_${source}`;
  note.textContent = t(note.dataset.i18n);
  const fields = $("rx-identity");
  const cardless = CARDLESS.has(source);
  fields.hidden = !cardless;
  fields.disabled = !cardless;  // disabled: neither required nor sent
  if (key !== state.identityKey) {
    // another patient (or the same session told otherwise): nothing typed carries over
    for (const id of ["rx-last-name", "rx-first-name", "rx-sex", "rx-birth"]) $(id).value = "";
  }
  // today in the doctor's own time zone (toISOString alone is UTC's day)
  const now = new Date();
  $("rx-birth").max = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  state.identitySource = source;
  state.identityKey = key;
}

// The one reset of everything patient-related on the page: when a patient is taken, when a
// call ends, at logout. ``sessionId``: the session the page now serves ("" for none); the
// prescription form is bound to it.
function resetPatient(sessionId) {
  $("hear-alert").hidden = true;
  if (typeof resetAids === "function") resetAids();  // chat.js: mute shown, messages, staff call
  $("notes").value = "";  // the doctor's notes: never sent, gone with the patient
  state.identity = null;
  state.nirShown = false;
  renderIdentity();
  setIdentitySource("card", "");
  for (const id of ["rx-last-name", "rx-first-name", "rx-sex", "rx-birth", "rx-weight", "pdf-file"]) {
    $(id).value = "";
  }
  $("rx-lines").replaceChildren();
  addLine();
  showErrors([]);
  say("rx-fav-status", "");
  state.readings = [];
  state.readingSeqs = new Set();
  renderReadings();
  state.measures = {};
  state.asking.clear();
  state.live = {};
  state.curve = [];
  state.curveKind = "";
  renderLive();
  renderMeasures();
  for (const id of ["measure-status", "rx-status", "pdf-status", "nir-status"]) say(id, "");
  if (typeof resetReport === "function") resetReport();  // report.js: the GP report goes too
  if (typeof resetFhir === "function") resetFhir();  // fhir.js: the bundle's pieces go too
  if (typeof resetExam === "function") resetExam();  // exam.js: stills, clips, instruments
  state.pending.clear();
  state.pdfPending = false;
  state.sent = [];
  state.lastFrameAt = 0;
  $("remote-video").removeAttribute("poster");
  state.patient = sessionId ? { sessionId } : null;
  state.rx = sessionId
    ? { sessionId, rxId: `rx-${PAGE_ID}-${Date.now().toString(36)}`, version: 0, locked: false }
    : null;
  lockPrescription(false);
  $("exam").hidden = true;
  renderLink();
  renderLost();
}

// ---- readings, as a doctor writes them ----------------------------------------------------

function humanize(code) { return String(code).replace(/_/g, " "); }
function words(code) { return (WORDS[lang] && WORDS[lang][code]) || humanize(code); }
function unitOf(r, name) { return (r.units && r.units[name]) || r.unit || ""; }
function qty(value, code) {
  const sym = UNITS[code] ?? code;
  if (!sym) return num(value);
  if (sym === "%") return lang === "fr" ? `${num(value)}\u00a0%` : `${num(value)}%`;
  if (sym === "/min") return `${num(value)}/min`;
  return `${num(value)}\u00a0${sym}`;
}

// One reading: its line ("TA 142/88 mmHg · FC 81/min"), whether it failed and why (the
// device's reasons in words), and the rest (MAP, the device's flags) for a second line.
function describe(r) {
  const L = LABELS[lang];
  const v = r.values || {};
  const has = (n) => typeof v[n] === "number";
  const used = new Set();
  const take = (n) => { used.add(n); return v[n]; };
  const parts = [], extra = [];
  const flags = (r.flags || []).map(String);
  const site = (flags.find((f) => f.startsWith("site:")) || "").slice(5);
  switch (r.kind) {
    case "blood_pressure":
      if (has("systolic") && has("diastolic")) {
        const unit = UNITS[unitOf(r, "systolic")] ?? unitOf(r, "systolic");
        parts.push(`${L.bp} ${num(take("systolic"))}/${num(take("diastolic"))}\u00a0${unit}`);
      }
      if (has("pulse")) parts.push(`${L.hr} ${qty(take("pulse"), unitOf(r, "pulse"))}`);
      if (has("map")) extra.push(`${L.map} ${qty(take("map"), unitOf(r, "map"))}`);
      break;
    case "spo2":
      if (has("spo2")) parts.push(`${L.spo2} ${qty(take("spo2"), unitOf(r, "spo2"))}`);
      if (has("pulse")) parts.push(`${L.hr} ${qty(take("pulse"), unitOf(r, "pulse"))}`);
      if (has("pi")) parts.push(`${L.pi} ${qty(take("pi"), unitOf(r, "pi"))}`);
      break;
    case "temperature": {
      const name = has("temperature") ? "temperature" : Object.keys(v).find(has);
      if (name) {
        const where = site ? ` (${(SITES[lang] || {})[site] || humanize(site)})` : "";
        parts.push(`${L.temp} ${qty(take(name), unitOf(r, name))}${where}`);
      }
      break;
    }
    case "weight":
      if (has("weight")) {
        const bmi = has("bmi") ? ` (${L.bmi} ${num(take("bmi"), 1)})` : "";
        parts.push(`${L.weight} ${qty(take("weight"), unitOf(r, "weight"))}${bmi}`);
      }
      if (has("height")) parts.push(`${L.height} ${qty(take("height"), unitOf(r, "height"))}`);
      break;
    case "cuff_pressure":
      if (has("cuff")) parts.push(`${L.cuff} ${qty(take("cuff"), unitOf(r, "cuff"))}`);
      break;
    default: break;
  }
  for (const [name, value] of Object.entries(v)) {
    if (used.has(name) || typeof value !== "number") continue;
    parts.push(`${L[name] || humanize(name)} ${qty(value, unitOf(r, name))}`);
  }
  const missing = r.missing || {};
  const reasons = [...new Set(Object.values(missing).map(String))];
  const why = reasons.map(words).join(", ");
  const failed = parts.length === 0;
  if (!failed && reasons.length) {
    // some values measured, some not: which, and why
    const names = Object.keys(missing).map((n) => ({ pulse: L.hr, spo2: L.spo2, systolic: L.bp,
      diastolic: L.bp, map: L.map, temperature: L.temp, weight: L.weight }[n] || L[n] || humanize(n)));
    parts.push(`${[...new Set(names)].join(", ")}${colon()}${why}`);
  }
  const notes = flags.filter((f) => !f.startsWith("site:") && !reasons.includes(f)).map(words);
  return { text: parts.join(" · "), failed, why, extra: [...extra, ...notes] };
}

function readingLine(r) {
  const d = describe(r);
  return d.failed ? `✗ ${t("kind_" + r.kind)}${colon()}${t("no_valid")}${d.why ? ` — ${d.why}` : ""}` : d.text;
}

function deviceLine(r) {
  if (!r.device) return "";
  const serial = r.device.serial ? tf("serial_no", { serial: r.device.serial }) : "";
  return [r.device.model || r.device.id, serial].filter(Boolean).join(" ");
}

function renderReadings() {
  const list = $("readings");
  if (!list) return;
  list.replaceChildren();
  // the latest valid value of each kind (a kind with only failed attempts: the last one)
  const latest = new Map();
  for (const r of state.readings) {
    const held = latest.get(r.kind);
    if (!held || (describe(held).failed && !describe(r).failed)) latest.set(r.kind, r);
    const li = document.createElement("li");
    li.className = "reading";
    li.dataset.kind = r.kind;
    const d = describe(r);
    li.dataset.failed = String(d.failed);
    const when = document.createElement("span");
    when.className = "when";
    when.textContent = clock(r.timestamp || r.received_at);
    const main = document.createElement("span");
    main.className = "value";
    main.textContent = readingLine(r);
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [...d.extra, deviceLine(r)].filter(Boolean).join(" · ");
    li.append(when, " ", main, meta);
    list.append(li);
  }
  renderWeightOffer();
  // the latest value of each kind, with its time
  const body = $("latest").querySelector("tbody");
  body.replaceChildren();
  for (const kind of [...LATEST_ORDER, ...[...latest.keys()].filter((k) => !LATEST_ORDER.includes(k))]) {
    const r = latest.get(kind);
    if (!r) continue;
    const tr = document.createElement("tr");
    tr.dataset.kind = kind;
    tr.dataset.failed = String(describe(r).failed);
    // the line names its kind already ("TA 142/88 mmHg"): it is the row's header
    const value = document.createElement("th");
    value.scope = "row"; value.textContent = readingLine(r);
    const time = document.createElement("td");
    time.textContent = clock(r.timestamp || r.received_at);
    tr.append(value, time);
    body.append(tr);
  }
  $("latest").hidden = latest.size === 0;
  $("history-heading").hidden = state.readings.length === 0;
}

// ---- measurements: asked, in progress (what the instrument shows), done or failed ---------

const liveKindOf = (kind) => (kind === "blood_pressure" ? "cuff_pressure" : kind);
const measureOfLive = (kind) => (kind === "cuff_pressure" ? "blood_pressure" : kind);

function elapsed(since) {
  const s = Math.max(0, Math.floor((performance.now() - since) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function liveText(kind) {
  const live = state.live[liveKindOf(kind)];
  if (!live) return "";
  const d = describe(live.reading);
  return d.failed ? d.why || t("no_valid") : [d.text, ...d.extra].join(" · ");
}

// One line per instrument asked: its state in words; a failure says why, once, and may be
// asked again (the same request as the instrument's button).
function measureText(kind, m) {
  if (m.state === "in_progress") {
    const live = liveText(kind);
    return `${t("mstate_in_progress")}${live ? ` — ${live}` : ""}`;
  }
  if (m.state !== "failed") return t("mstate_" + m.state);
  let why = t("mreason_" + m.reason);
  if (m.reason === "no_valid_value") {
    // the device's own reason, as its reading carries it
    const last = state.readings.find((r) => r.kind === kind);
    const device = last ? describe(last).why : "";
    if (device) why = device;
  } else if (m.reason === "timeout" && m.lastLive) {
    // waited for a valid value until the time limit: what the instrument last said
    const d = describe(m.lastLive);
    if (d.failed && d.why) why = tf("mreason_timeout_why", { why: d.why });
  }
  return tf("mstate_failed", { reason: why }) + (REDO.has(m.reason) ? t("redo") : "");
}

function renderMeasures() {
  const list = $("measure-states");
  if (!list) return;
  list.replaceChildren();
  for (const kind of MEASUREMENT_KINDS) {
    const m = state.measures[kind];
    if (!m) continue;
    const li = document.createElement("li");
    li.className = "measure-state";
    li.dataset.kind = kind;
    li.dataset.state = m.state;
    if (m.reason) li.dataset.reason = m.reason;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = `${t("kind_" + kind)}${colon()}${measureText(kind, m)}`;
    li.append(text);
    if (m.state === "in_progress" || m.state === "requested") {
      const clockEl = document.createElement("span");
      clockEl.className = "elapsed";
      clockEl.dataset.since = String(m.since);
      clockEl.textContent = elapsed(m.since);
      li.append(clockEl);
    }
    if (m.state === "failed") {
      const again = document.createElement("button");
      again.type = "button";
      again.className = "ask-again";
      again.textContent = t("ask_again");
      again.disabled = !linkUp() || state.asking.has(kind);  // until the cabin answers
      again.addEventListener("click", () => {
        if (!requestMeasure(kind, (acked) => { if (!acked) renderMeasures(); })) renderMeasures();
      });
      li.append(again);
    }
    list.append(li);
  }
}

function tickMeasures() {
  for (const el of document.querySelectorAll("#measure-states .elapsed")) {
    el.textContent = elapsed(Number(el.dataset.since));
  }
}

// ---- live: what the instrument shows while it measures (the cuff inflating) ---------------

function onLive(reading) {
  const kind = reading.kind;
  const measure = measureOfLive(kind);
  const m = state.measures[measure];
  if (!m || (m.state !== "in_progress" && m.state !== "requested")) return;  // none running
  state.live[kind] = { reading, at: performance.now() };
  m.lastLive = reading;
  const value = Object.values(reading.values || {}).find((x) => typeof x === "number");
  if (state.curveKind !== kind) { state.curve = []; state.curveKind = kind; }
  if (typeof value === "number") {
    state.curve.push({ at: performance.now(), value });
    const from = performance.now() - CURVE_MS;
    while (state.curve.length && state.curve[0].at < from) state.curve.shift();
  }
  // the measurement's line says it in words; the curve draws it
  const line = document.querySelector(`#measure-states li[data-kind="${measure}"] .text`);
  if (line) line.textContent = `${t("kind_" + measure)}${colon()}${measureText(measure, m)}`;
  renderLive();
}

function endLive(measure) {
  const kind = liveKindOf(measure);
  delete state.live[kind];
  if (state.curveKind === kind) { state.curve = []; state.curveKind = ""; }
  renderLive();
}

function renderLive() {
  const fig = $("live");
  const points = state.curve;
  const live = state.live[state.curveKind];
  fig.hidden = !live || points.length === 0;
  if (fig.hidden) { $("live-caption").textContent = ""; return; }
  const caption = describe(live.reading).text;
  $("live-caption").textContent = caption;
  const canvas = $("live-curve");
  canvas.setAttribute("aria-label", caption);
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(200, Math.round(canvas.clientWidth || 360));
  const height = 110;
  if (canvas.width !== width * ratio) { canvas.width = width * ratio; canvas.height = height * ratio; }
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);
  const values = points.map((p) => p.value);
  const cuff = state.curveKind === "cuff_pressure";
  let lo = cuff ? 0 : Math.min(...values), hi = cuff ? Math.max(200, ...values) : Math.max(...values);
  if (hi - lo < 1) { hi += 1; lo -= 1; }
  const t0 = points[0].at, t1 = Math.max(points[points.length - 1].at, t0 + 10000);
  const x = (at) => 4 + ((at - t0) / (t1 - t0)) * (width - 8);
  const y = (v) => height - 14 - ((v - lo) / (hi - lo)) * (height - 24);
  g.strokeStyle = "#c5ced8"; g.lineWidth = 1;
  g.fillStyle = "#4a5866"; g.font = "11px 'DejaVu Sans', sans-serif";
  for (const v of cuff ? [0, 100, 200, 300].filter((v) => v <= hi) : [lo, hi]) {
    g.beginPath(); g.moveTo(0, y(v)); g.lineTo(width, y(v)); g.stroke();
    g.fillText(num(v, 1), 2, y(v) - 2);
  }
  g.strokeStyle = "#0b5cad"; g.lineWidth = 2;
  g.beginPath();
  points.forEach((p, i) => (i ? g.lineTo(x(p.at), y(p.value)) : g.moveTo(x(p.at), y(p.value))));
  g.stroke();
}

function requestMeasure(kind, then) {
  if (!linkUp()) { say("measure-status", "link_down"); return false; }
  state.asking.add(kind);
  const ok = sendData({ type: "measure", kind }, (acked, why) => {
    state.asking.delete(kind);
    const k = ["kind_" + kind];
    if (acked) say("measure-status", "measure_received", { kind: k });
    else if (why === "busy") {
      // another measurement runs at the cabin: nothing taken, the doctor asks again after it
      const running = MEASUREMENT_KINDS.find((other) => other !== kind && state.measures[other]
        && ["requested", "in_progress"].includes(state.measures[other].state));
      say("measure-status", "measure_busy", { kind: k,
        running: running ? ["running_kind", { kind: ["kind_" + running] }] : "" });
    } else say("measure-status", why === "link_lost" ? "measure_not_confirmed" : "measure_refused", { kind: k });
    renderControls();
    if (then) then(acked);
  }, true);
  if (!ok) state.asking.delete(kind);
  if (ok) say("measure-status", "measure_asked", { kind: ["kind_" + kind] });
  else say("measure-status", "no_channel");
  renderControls();
  return ok;
}

// ---- prescription -----------------------------------------------------------------------

// The form's lines: added and removed freely, each numbered in its legend and its "remove"
// button; every field has its own id, so an error can link to it.
let rxLineSeq = 0;
const pressed = (button) => button.getAttribute("aria-pressed") === "true";

function addLine(focus = false) {
  const node = $("rx-line-template").content.cloneNode(true);
  for (const el of node.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  const k = ++rxLineSeq;
  for (const name of ["medicine", "dose", "duration", "renewals", "nonsub", "ald"]) {
    node.querySelector(`.rx-${name}`).id = `rx-l${k}-${name}`;
  }
  const line = node.querySelector(".rx-line");
  for (const b of line.querySelectorAll(".rx-toggle")) {
    b.addEventListener("click", () => b.setAttribute("aria-pressed", String(!pressed(b))));
  }
  line.querySelector(".rx-remove").addEventListener("click", () => removeLine(line));
  line.querySelector(".rx-fav-save").addEventListener("click", () => saveFavourite(line));
  $("rx-lines").append(node);
  renumberLines();
  if (focus === true) line.querySelector(".rx-medicine").focus();
  return line;
}

function removeLine(line) {
  const all = [...document.querySelectorAll(".rx-line")];
  const next = all[all.indexOf(line) + 1] || all[all.indexOf(line) - 1];
  line.remove();
  if (!document.querySelector(".rx-line")) { addLine(true); return; }
  renumberLines();
  (next ? next.querySelector(".rx-medicine") : $("rx-add")).focus();
}

function renumberLines() {
  document.querySelectorAll(".rx-line").forEach((line, i) => {
    say(line.querySelector(".rx-line-title"), "rx_line", { n: i + 1 });
    say(line.querySelector(".rx-remove"), "rx_remove", { n: i + 1 });
  });
}

// What the form says, as the cabin will receive it; a line left wholly blank is no line.
function readLines() {
  return [...document.querySelectorAll(".rx-line")].map((f, i) => ({
    n: i + 1, el: f,
    medicine: f.querySelector(".rx-medicine").value.trim(),
    dose: f.querySelector(".rx-dose").value.trim(),
    duration: f.querySelector(".rx-duration").value.trim(),
    renewals: Number(f.querySelector(".rx-renewals").value || 0),
    non_substitutable: pressed(f.querySelector(".rx-nonsub")),
    ald: pressed(f.querySelector(".rx-ald")),
  })).filter((l) => l.medicine || l.dose || l.duration);
}

// ---- the measured weight, offered --------------------------------------------------------

function measuredWeight() {
  for (let i = state.readings.length - 1; i >= 0; i--) {
    const r = state.readings[i];
    const v = (r.values || {}).weight;
    if (r.kind === "weight" && typeof v === "number" && unitOf(r, "weight") === "kg" && !describe(r).failed) {
      return Math.round(v * 10) / 10;
    }
  }
  return null;
}

function renderWeightOffer() {
  const button = $("rx-weight-use");
  const w = measuredWeight();
  button.hidden = w === null;
  if (w === null) { say(button, ""); return; }
  button.dataset.weight = String(w);
  say(button, "rx_weight_use", { w: num(w, 1) });
}

// ---- favourites: per doctor, in this browser; medicine names and dose texts only --------

const MAX_FAVOURITES = 60;
function favouritesKey() { return state.me ? `cabine-rx-favourites:${state.me.id}` : ""; }

function loadFavourites() {
  const key = favouritesKey();
  if (!key) return [];
  try {
    const list = JSON.parse(localStorage.getItem(key) || "[]");
    return Array.isArray(list) ? list.filter((f) => f && typeof f.medicine === "string") : [];
  } catch (e) {
    return [];
  }
}

function renderFavourites() {
  const favs = loadFavourites();
  const select = $("rx-fav-select");
  const none = document.createElement("option");
  none.value = "";
  none.textContent = t("rx_fav_none");
  select.replaceChildren(none, ...favs.map((f, i) => {
    const o = document.createElement("option");
    o.value = String(i);
    o.textContent = [f.medicine, f.dose].filter(Boolean).join(" — ");
    return o;
  }));
  const fill = (id, values) => $(id).replaceChildren(...[...new Set(values.filter(Boolean))].map((v) => {
    const o = document.createElement("option");
    o.value = v;
    return o;
  }));
  fill("rx-medicine-presets", favs.map((f) => f.medicine));
  fill("rx-dose-presets", favs.map((f) => f.dose));
}

function saveFavourite(line) {
  const n = [...document.querySelectorAll(".rx-line")].indexOf(line) + 1;
  const fav = {
    medicine: line.querySelector(".rx-medicine").value.trim(),
    dose: line.querySelector(".rx-dose").value.trim(),
    duration: line.querySelector(".rx-duration").value.trim(),
  };
  if (!fav.medicine) { say("rx-fav-status", "rx_fav_empty", { n }); return; }
  const key = favouritesKey();
  if (!key) return;
  const favs = loadFavourites().filter((f) => f.medicine !== fav.medicine || f.dose !== fav.dose);
  favs.unshift(fav);
  try {
    localStorage.setItem(key, JSON.stringify(favs.slice(0, MAX_FAVOURITES)));
  } catch (e) {
    return;  // storage full or refused: the favourite is not kept, the line stays as typed
  }
  renderFavourites();
  say("rx-fav-status", "rx_fav_saved", { name: fav.medicine });
}

function useFavourite() {
  const fav = loadFavourites()[Number($("rx-fav-select").value)];
  if ($("rx-fav-select").value === "" || !fav) return;
  const lines = [...document.querySelectorAll(".rx-line")];
  const last = lines[lines.length - 1];
  const blank = last && !["medicine", "dose", "duration"].some((n) => last.querySelector(`.rx-${n}`).value.trim());
  const line = blank ? last : addLine();
  line.querySelector(".rx-medicine").value = fav.medicine;
  line.querySelector(".rx-dose").value = fav.dose || "";
  line.querySelector(".rx-duration").value = fav.duration || "";
  say("rx-fav-status", "rx_fav_added", { n: [...document.querySelectorAll(".rx-line")].indexOf(line) + 1 });
  line.querySelector(".rx-dose").focus();
}

// ---- errors: a summary at the top of the form, each linked to its field -----------------

function checkPrescription() {
  const errors = [];
  const lines = readLines();
  if (!lines.length) errors.push({ el: document.querySelector(".rx-medicine"), key: "rx_err_no_line" });
  for (const l of lines) {
    for (const name of ["medicine", "dose", "duration"]) {
      if (!l[name]) errors.push({ el: l.el.querySelector(`.rx-${name}`), key: `rx_err_${name}`, n: l.n });
    }
    const renewals = l.el.querySelector(".rx-renewals");
    if (!renewals.validity.valid) errors.push({ el: renewals, key: "rx_err_renewals", n: l.n });
  }
  if (!$("rx-identity").disabled) {
    const who = { "rx-last-name": "rx_err_last_name", "rx-first-name": "rx_err_first_name",
      "rx-sex": "rx_err_sex", "rx-birth": "rx_err_birth" };
    for (const [id, key] of Object.entries(who)) if (!$(id).validity.valid) errors.push({ el: $(id), key });
  }
  if (!$("rx-weight").validity.valid) errors.push({ el: $("rx-weight"), key: "rx_err_weight" });
  return errors;
}

function showErrors(errors) {
  for (const el of document.querySelectorAll("#prescription-form [aria-invalid]")) el.removeAttribute("aria-invalid");
  const list = $("rx-errors-list");
  list.replaceChildren(...errors.map((e) => {
    e.el.setAttribute("aria-invalid", "true");
    const a = document.createElement("a");
    a.href = `#${e.el.id}`;
    say(a, e.key, { n: e.n });
    a.addEventListener("click", (ev) => { ev.preventDefault(); e.el.focus(); });
    const li = document.createElement("li");
    li.append(a);
    return li;
  }));
  $("rx-errors").hidden = !errors.length;
  if (errors.length) $("rx-errors").focus();
}

// ---- the preview: the paper as it will print (an HTML rendering, in French like the paper)

const ALD_ZONE = "Prescriptions relatives au traitement de l'affection de longue durée reconnue " +
  "(liste ou hors liste) (AFFECTION EXONÉRANTE)";
const OTHER_ZONE = "Prescriptions SANS RAPPORT avec l'affection de longue durée (MALADIES INTERCURRENTES)";

function paperLine(number, l) {
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const item = el("li", "rx-paper-line");
  const title = el("p", "rx-paper-medicine", `${number}. ${l.medicine}`);
  if (l.non_substitutable) title.append(" — ", el("u", "rx-paper-nonsub", "Non substituable"));
  const renew = l.renewals ? `À renouveler ${l.renewals} fois` : "Non renouvelable";
  item.append(title, el("p", "", `Posologie : ${l.dose}`),
    el("p", "", `Durée : ${l.duration} — Renouvellement : ${renew}`));
  return item;
}

function renderPaper() {
  const paper = $("rx-paper");
  const lines = readLines();
  const head = document.createElement("p");
  head.className = "rx-paper-head";
  const me = state.me || {};
  head.textContent = [me.name, me.specialty, me.rpps && `RPPS ${me.rpps}`].filter(Boolean).join(" — ");
  const who = document.createElement("p");
  who.className = "rx-paper-patient";
  if (!$("rx-identity").disabled) {
    const [y, m, d] = $("rx-birth").value.split("-");
    who.textContent = `Patient : ${$("rx-last-name").value.trim().toUpperCase()} ${$("rx-first-name").value.trim()}` +
      ` — Né(e) le ${d}/${m}/${y}`;
  } else {
    who.textContent = t("rx_card_patient");
    who.lang = lang;
  }
  const weight = $("rx-weight").value;
  if (weight) who.textContent += ` — Poids : ${String(Number(weight)).replace(".", ",")} kg`;
  const parts = [head, who];
  const ald = lines.filter((l) => l.ald), others = lines.filter((l) => !l.ald);
  const zone = (text) => { const p = document.createElement("p"); p.className = "rx-paper-zone"; p.textContent = text; return p; };
  const list = (items, start) => {
    const ol = document.createElement("ol");
    ol.className = "rx-paper-lines";
    ol.append(...items.map((l, i) => paperLine(start + i, l)));
    return ol;
  };
  if (ald.length) {
    const bar = document.createElement("hr");
    bar.className = "rx-paper-bar";
    parts.push(zone(ALD_ZONE), list(ald, 1), bar, zone(OTHER_ZONE), list(others, ald.length + 1));
  } else {
    parts.push(list(lines, 1));
  }
  paper.replaceChildren(...parts);
}

// Two steps: "preview" shows the paper with "send" and "back to edit"; after a send the form
// locks (a second click sends nothing) and "edit and resend" opens it again.
function renderRxMode() {
  const preview = Boolean(state.rx && state.rx.preview);
  const locked = Boolean(state.rx && state.rx.locked);
  $("rx-fields").hidden = preview;
  $("rx-preview").hidden = !preview;
  $("rx-check").hidden = preview || locked;
  $("rx-send").hidden = !preview || locked;
  $("rx-back").hidden = !preview || locked;
  $("rx-edit").hidden = !locked;
}

function previewPrescription() {
  if (!state.rx || state.rx.locked) return;
  state.rx.preview = true;
  renderPaper();
  renderRxMode();
  $("rx-preview").focus();
}

function backToEdit() {
  if (!state.rx || state.rx.locked) return;
  state.rx.preview = false;
  renderRxMode();
  $("rx-check").focus();
}

// After a send the form locks: a second click sends nothing. "Edit and resend" unlocks it;
// the next send is a later version of the same prescription, which replaces the first at
// the cabin (only the latest prints).
function lockPrescription(locked) {
  if (state.rx) state.rx.locked = locked;
  $("rx-fields").disabled = locked;
  renderRxMode();
  renderControls();
}

function editPrescription() {
  if (!state.rx || !state.rx.locked) return;
  state.rx.preview = false;
  lockPrescription(false);
  say("rx-status", "rx_editing");
}

// What the summary and the end's confirmation list: the latest version of the form
// (it replaces the earlier ones at the cabin), and each PDF.
function noteSent(entry) {
  if (entry.kind === "prescription") state.sent = state.sent.filter((d) => d.kind !== "prescription");
  state.sent.push(entry);
  return entry;
}

// The form's submit: "preview" (the default button, and Enter in a field) or "send".
function submitPrescription(ev) {
  ev.preventDefault();
  const rx = state.rx;
  if (rx && rx.locked) return;
  const errors = checkPrescription();
  showErrors(errors);
  if (errors.length) {
    if (rx) { rx.preview = false; renderRxMode(); }
    return;
  }
  if (ev.submitter && ev.submitter.id === "rx-send") sendPrescription();
  else previewPrescription();
}

function sendPrescription() {
  const rx = state.rx;
  if (!rx || !state.call || rx.sessionId !== state.call.sessionId) {
    say("rx-status", "rx_other_session");
    return;
  }
  if (!linkUp()) { say("rx-status", "link_down"); return; }
  const lines = readLines().map(({ n, el, ...line }) => line);
  const weight = $("rx-weight").value;
  const patient = weight ? { weight_kg: Number(weight) } : {};
  if (CARDLESS.has(state.identitySource)) {
    // no card: the identity the doctor checked on an ID document (the form required it)
    patient.last_name = $("rx-last-name").value.trim();
    patient.first_name = $("rx-first-name").value.trim();
    patient.sex = $("rx-sex").value;
    patient.birth_date = $("rx-birth").value;
  }
  const form = { prescriber: state.me, date: new Date().toISOString(), patient, lines };
  const version = rx.version + 1;
  const msg = { type: "prescription", session_id: rx.sessionId, rx_id: rx.rxId, version, form };
  let entry = null;
  const ok = sendData(msg, (acked) => {
    if (entry) entry.status = acked ? "received" : "refused";
    if (state.rx !== rx || rx.version !== version) return;  // a version since replaced
    say("rx-status", acked ? "received" : "refused");
    if (!acked) lockPrescription(false);  // nothing kept at the cabin: the doctor may fix it
  }, true);
  if (!ok) { say("rx-status", "no_channel"); return; }
  entry = noteSent({ kind: "prescription", version, status: "sent" });
  rx.version = version;
  lockPrescription(true);
  say("rx-status", "sent");
}

function toBase64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function drain(ch) {
  if (ch.bufferedAmount < 256 * 1024) return;
  await new Promise((resolve) => {
    ch.bufferedAmountLowThreshold = 64 * 1024;
    ch.addEventListener("bufferedamountlow", resolve, { once: true });
    setTimeout(resolve, 5000);
  });
}

async function sendPdf(ev) {
  ev.preventDefault();
  const file = $("pdf-file").files[0];
  if (!file || !state.call || state.pdfPending) return;
  if (!linkUp()) { say("pdf-status", "link_down"); return; }
  const sessionId = state.call.sessionId;
  if (file.size > MAX_PDF_BYTES) { say("pdf-status", "pdf_too_big"); return; }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (String.fromCharCode(...bytes.subarray(0, 5)) !== "%PDF-") { say("pdf-status", "not_pdf"); return; }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  const docId = `doc${Date.now().toString(36)}`;
  const chunks = Math.ceil(bytes.length / CHUNK_BYTES);
  if (!state.call || state.call.sessionId !== sessionId) return;  // another patient meanwhile
  const channel = state.channel;
  const entry = { kind: "pdf", status: "sent" };
  const ok = sendData({ type: "document", doc_id: docId, kind: "uploaded_prescription", session_id: sessionId,
    sha256, size: bytes.length, chunks },
  (acked, why) => {
    if (!state.patient || state.patient.sessionId !== sessionId) return;
    entry.status = acked ? "received" : why === "link_lost" ? "sent" : "refused";
    state.pdfPending = false;
    say("pdf-status", acked ? "received" : why === "link_lost" ? "not_confirmed" : "refused");
    renderControls();
  });
  if (!ok) { say("pdf-status", "no_channel"); return; }
  noteSent(entry);
  state.pdfPending = true;
  renderControls();
  say("pdf-status", "sent");
  for (let i = 0; i < chunks; i++) {
    if (state.channel !== channel) return;  // cut: the upload is told "not confirmed"
    await drain(state.channel);
    sendData({ type: "document_chunk", doc_id: docId, index: i,
      data: toBase64(bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)) });
  }
}

// ---- call quality, and a lost link made obvious ------------------------------------------

function startStats() {
  if (state.statsTimer) clearInterval(state.statsTimer);
  let last = null;
  state.statsTimer = setInterval(async () => {
    const pc = state.pc;
    if (!pc) return;
    let report;
    try { report = await pc.getStats(); } catch (e) { return; }
    const s = { fps: 0, lost: 0, received: 0, rtt: null, width: 0, height: 0, framesDecoded: 0, audioBytes: 0 };
    report.forEach((r) => {
      if (r.type === "inbound-rtp" && r.kind === "video") {
        // the first video is the cabin's camera (a second one is the exam camera)
        if (!s.width) {
          s.fps = r.framesPerSecond || 0; s.width = r.frameWidth || 0; s.height = r.frameHeight || 0;
          s.framesDecoded = r.framesDecoded || 0;
        }
        s.lost += r.packetsLost || 0; s.received += r.packetsReceived || 0;
      } else if (r.type === "inbound-rtp" && r.kind === "audio") {
        s.audioBytes = r.bytesReceived || 0; s.lost += r.packetsLost || 0; s.received += r.packetsReceived || 0;
      } else if (r.type === "candidate-pair" && r.nominated && r.state === "succeeded") {
        if (r.currentRoundTripTime !== undefined) s.rtt = r.currentRoundTripTime;
        const local = report.get(r.localCandidateId);
        if (local) s.localCandidate = local.candidateType;
      }
    });
    if (state.pc !== pc) return;
    if (s.framesDecoded > (last ? last.framesDecoded : 0)) state.lastFrameAt = performance.now();
    const dLost = last ? s.lost - last.lost : s.lost, dRecv = last ? s.received - last.received : s.received;
    const loss = dLost + dRecv > 0 ? dLost / (dLost + dRecv) : 0;
    last = s;
    s.loss = loss;
    state.stats = s;
    let level = "good";
    if (s.fps < 10 || loss > 0.05 || (s.rtt !== null && s.rtt > 0.4)) level = "poor";
    else if (s.fps < 20 || loss > 0.01 || (s.rtt !== null && s.rtt > 0.15)) level = "fair";
    if (level !== state.quality) {
      state.quality = level;
      renderQuality();
      sendData({ type: "quality", level });
    }
    renderLost();
  }, 1000);
}

function renderQuality() {
  const q = $("quality");
  if (!q) return;
  q.dataset.level = state.quality;
  $("quality-text").textContent = state.quality ? t("quality_" + state.quality) : "";
}

// Seconds since the cabin's picture last moved, once it has (0 while it moves): the link
// is down, or no frame came for a while. A call being rebuilt (no call for a moment, a new
// peer connection) goes on counting: only a moving picture, or the patient's reset, ends it.
function lostFor() {
  if (!state.lastFrameAt) return 0;
  const pc = state.pc;
  const down = !state.call || !pc || ["disconnected", "failed", "closed"].includes(pc.connectionState);
  const still = performance.now() - state.lastFrameAt;
  return down || still > FROZEN_MS ? Math.max(still, 1) / 1000 : 0;
}

function renderLost() {
  const s = lostFor();
  $("stage").dataset.lost = String(s > 0);
  $("lost").hidden = !s;
  if (s) say("lost-text", "lost_for", { s: duration(s) });
  else say("lost-text", "");
}

// ---- the doctor's aids: consultation timer, notes, keyboard shortcuts ----------------------

// mm:ss since the doctor took the patient (kept across a rebuilt call); h:mm:ss past an hour
function timerText(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const two = (n) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const mmss = `${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return h ? `${h}:${mmss}` : mmss;
}

function renderTimer() {
  const text = state.call ? timerText(Date.now() - state.call.startedAt) : "00:00";
  if ($("call-timer").textContent !== text) $("call-timer").textContent = text;
  $("stage-timer").textContent = text;
}

// Alt+Shift and a key (the key's place, whatever the layout): measures 1-4 in the buttons'
// order, M the microphone, X the end (its confirmation). Never while typing in a field.
const SHORTCUT_MEASURES = { Digit1: 0, Digit2: 1, Digit3: 2, Digit4: 3, Numpad1: 0, Numpad2: 1, Numpad3: 2, Numpad4: 3 };

function typing(el) {
  if (!el) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  return el.tagName === "INPUT" && !["button", "submit", "reset", "checkbox", "radio", "file"].includes(el.type);
}

function onShortcut(ev) {
  // Escape leaves full screen (the browser's own Escape does too); an open dialog closes first
  if (ev.key === "Escape" && document.fullscreenElement && !$("end-dialog").open && !ev.defaultPrevented) {
    document.exitFullscreen().catch(() => {});
    return;
  }
  if (!ev.altKey || !ev.shiftKey || ev.ctrlKey || ev.metaKey || ev.repeat) return;
  if (!state.call || $("call-view").hidden || $("end-dialog").open || typing(ev.target)) return;
  let button = null;
  if (ev.code in SHORTCUT_MEASURES) button = document.querySelectorAll("button.measure")[SHORTCUT_MEASURES[ev.code]];
  else if (ev.code === "KeyM") button = $("mute");
  else if (ev.code === "KeyX") button = $("end-call");
  if (!button) return;
  ev.preventDefault();
  if (!button.disabled) button.click();
}

// The stage alone on the screen (the Fullscreen API); Escape, or the button again, leaves.
function toggleFullscreen() {
  if (document.fullscreenElement) { document.exitFullscreen().catch(() => {}); return; }
  const stage = $("stage");
  if (!stage.requestFullscreen) { banner("fullscreen_refused"); return; }
  stage.requestFullscreen().catch(() => { banner("fullscreen_refused"); });
}

function renderFullscreen() {
  const on = document.fullscreenElement === $("stage");
  $("fullscreen").setAttribute("aria-pressed", String(on));
  $("fullscreen").dataset.i18n = on ? "fullscreen_exit" : "fullscreen";
  $("fullscreen").textContent = t($("fullscreen").dataset.i18n);
}

// The doctor's own picture, in one corner of the stage; the button moves it to the next.
const CORNERS = ["br", "bl", "tl", "tr"];

function selfCorner() {
  const saved = localStorage.getItem("cabine-self-corner");
  return CORNERS.includes(saved) ? saved : "br";
}

function renderSelfView() {
  const corner = selfCorner();
  $("stage").dataset.self = corner;
  say("self-where", `corner_${corner}`);  // for a screen reader: the eye sees where it is
}

function moveSelfView() {
  const next = CORNERS[(CORNERS.indexOf(selfCorner()) + 1) % CORNERS.length];
  localStorage.setItem("cabine-self-corner", next);
  renderSelfView();
}

// ---- controls ---------------------------------------------------------------------------

function toggle(kind, button, onKey, offKey) {
  if (!state.local) return;
  const tracks = kind === "audio" ? state.local.getAudioTracks() : state.local.getVideoTracks();
  const off = button.getAttribute("aria-pressed") !== "true";
  for (const tr of tracks) tr.enabled = !off;
  button.setAttribute("aria-pressed", String(off));
  button.dataset.i18n = off ? offKey : onKey;
  button.textContent = t(button.dataset.i18n);
}

// What the tests and a curious technician can read: no health data beyond the page itself.
window.cabine = {
  snapshot: () => ({
    view: ["login-view", "room-view", "call-view"].find((v) => !$(v).hidden) || "",
    callState: $("call-state").dataset.state || "",
    connection: state.pc ? state.pc.connectionState : "",
    channel: state.channel ? state.channel.readyState : "",
    callId: state.call ? state.call.callId : "",
    identitySource: state.identitySource,
    sessionId: state.call ? state.call.sessionId : "",
    link: linkUp(),
    lost: lostFor() > 0,
    rx: state.rx ? { version: state.rx.version, locked: state.rx.locked } : null,
    measures: Object.fromEntries(Object.entries(state.measures).map(
      ([k, m]) => [k, { state: m.state, reason: m.reason }])),
    live: Object.keys(state.live),
    sent: state.sent.map((d) => ({ ...d })),
    stats: state.stats, quality: state.quality, errors: state.errors,
    video: { width: $("remote-video").videoWidth, height: $("remote-video").videoHeight },
    exam: { width: $("exam-video").videoWidth, height: $("exam-video").videoHeight },
  }),
};

document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("button.lang")) {
    b.addEventListener("click", () => { lang = b.dataset.lang; localStorage.setItem("cabine-lang", lang); applyLanguage(); });
  }
  $("login-form").addEventListener("submit", login);
  // Pro Santé Connect: the link shows only where the portal has it configured
  fetch("/api/psc", { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : null))
    .then((p) => { if (p && p.enabled !== false) $("psc-login").hidden = false; })
    .catch(() => {});
  $("logout").addEventListener("click", logout);
  $("end-call").addEventListener("click", askEnd);
  $("hear-ok").addEventListener("click", () => { $("hear-alert").hidden = true; });
  $("end-confirm").addEventListener("click", () => endCall(true));
  $("end-cancel").addEventListener("click", () => $("end-dialog").close());
  $("end-dialog").addEventListener("close", () => { if (state.call) $("end-call").focus(); });
  $("summary-close").addEventListener("click", () => { state.summary = null; renderSummary(); });
  $("nir-reveal").addEventListener("click", toggleNir);
  $("nir-copy").addEventListener("click", copyNir);
  $("mute").addEventListener("click", (ev) => toggle("audio", ev.currentTarget, "mute", "unmute"));
  $("camera").addEventListener("click", (ev) => toggle("video", ev.currentTarget, "camera_off", "camera_on"));
  for (const b of document.querySelectorAll("button.measure")) {
    b.addEventListener("click", () => requestMeasure(b.dataset.kind));
  }
  $("rx-add").addEventListener("click", () => addLine(true));
  $("rx-edit").addEventListener("click", editPrescription);
  $("rx-back").addEventListener("click", backToEdit);
  $("rx-fav-use").addEventListener("click", useFavourite);
  $("rx-weight-use").addEventListener("click", () => { $("rx-weight").value = $("rx-weight-use").dataset.weight; });
  $("prescription-form").addEventListener("submit", submitPrescription);
  // a field fixed is no longer marked (the summary stays until the next check)
  $("prescription-form").addEventListener("input", (ev) => ev.target.removeAttribute("aria-invalid"));
  $("upload-form").addEventListener("submit", sendPdf);
  // one clock for what counts in seconds: waiting times, the lost link, a measurement's time
  setInterval(() => { tickRoom(); renderLost(); tickMeasures(); renderTimer(); }, 1000);
  document.addEventListener("keydown", onShortcut);
  $("fullscreen").addEventListener("click", toggleFullscreen);
  document.addEventListener("fullscreenchange", renderFullscreen);
  $("self-move").addEventListener("click", moveSelfView);
  $("mic-select").addEventListener("change", () => chooseDevice("audio"));
  $("cam-select").addEventListener("change", () => chooseDevice("video"));
  if (navigator.mediaDevices) navigator.mediaDevices.addEventListener("devicechange", listDevices);
  listDevices();
  renderSelfView();
  document.querySelectorAll("button.measure").forEach((b, i) => b.setAttribute("aria-keyshortcuts", `Alt+Shift+${i + 1}`));
  resetPatient("");
  applyLanguage();
  loadMe();
});
