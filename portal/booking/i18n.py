"""The booking site's words in French, English, Arabic (right to left) and Spanish.

One table: a key, then its text in each language (``{name}`` fields filled by
:func:`text`). Dates are written here too (weekday and month names), never by the locale.
"""

from __future__ import annotations

from datetime import date, datetime

from portal.booking.i18n_about import ABOUT

LANGS = ("fr", "en", "ar", "es")
NAMES = {"fr": "Français", "en": "English", "ar": "العربية", "es": "Español"}
RTL = frozenset({"ar"})

_DAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
           "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}  # fmt: skip
_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekday(lang: str, key: str) -> str:
    """A weekday's name from its config key ("tue")."""
    return _DAYS[lang][_DAY_KEYS.index(key)]


def long_date(lang: str, day: date) -> str:
    """ "mardi 8 décembre 2026", "Tuesday 8 December 2026"..."""
    name, month = _DAYS[lang][day.weekday()], _MONTHS[lang][day.month - 1]
    if lang == "es":
        return f"{name} {day.day} de {month} de {day.year}"
    return f"{name} {day.day} {month} {day.year}"


def short_date(lang: str, day: date) -> str:
    name, month = _DAYS[lang][day.weekday()], _MONTHS[lang][day.month - 1]
    return f"{name} {day.day} de {month}" if lang == "es" else f"{name} {day.day} {month}"


def hhmm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


T: dict[str, tuple[str, str, str, str]] = {
    # key: (fr, en, ar, es)
    "site": ("Rendez-vous en cabine de téléconsultation", "Book a teleconsultation cabin",
             "موعد في كابينة الاستشارة الطبية عن بعد", "Cita en cabina de teleconsulta"),
    "skip": ("Aller au contenu", "Skip to content", "انتقل إلى المحتوى", "Ir al contenido"),
    "langs": ("Langue", "Language", "اللغة", "Idioma"),
    "footer": ("Liens du site", "Site links", "روابط الموقع", "Enlaces del sitio"),
    "privacy": ("Données personnelles", "Personal data", "البيانات الشخصية", "Datos personales"),
    "legal": ("Mentions légales", "Legal notice", "الإشعار القانوني", "Aviso legal"),
    "a11y": ("Accessibilité : partiellement conforme", "Accessibility: partially compliant",
             "إمكانية الوصول: مطابقة جزئيًا", "Accesibilidad: parcialmente conforme"),
    "a11y_full": ("Accessibilité : totalement conforme", "Accessibility: fully compliant",
                  "إمكانية الوصول: مطابقة كليًا", "Accesibilidad: totalmente conforme"),
    "a11y_none": ("Accessibilité : non conforme", "Accessibility: not compliant",
                  "إمكانية الوصول: غير مطابقة", "Accesibilidad: no conforme"),
    "step": ("Étape {n} sur 5", "Step {n} of 5", "الخطوة {n} من 5", "Paso {n} de 5"),
    "back": ("Retour", "Back", "رجوع", "Volver"),
    "continue": ("Continuer", "Continue", "متابعة", "Continuar"),
    "problem": ("Il y a un problème", "There is a problem", "هناك مشكلة", "Hay un problema"),
    "error_prefix": ("Erreur :", "Error:", "خطأ:", "Error:"),
    "yes": ("oui", "yes", "نعم", "sí"),
    "no": ("non", "no", "لا", "no"),
    # find
    "find_title": ("Trouver une cabine", "Find a cabin", "ابحث عن كابينة", "Buscar una cabina"),
    "find_intro": ("Une cabine de téléconsultation vous met en relation par vidéo avec un "
                   "médecin. Réservez un créneau, puis venez avec votre carte Vitale.",
                   "A teleconsultation cabin connects you by video to a doctor. Book a time, "
                   "then come with your Carte Vitale.",
                   "تتيح لك كابينة الاستشارة عن بعد التحدث مع طبيب عبر الفيديو. احجز موعدًا ثم "
                   "تعال ومعك بطاقة Vitale.",
                   "Una cabina de teleconsulta le conecta por vídeo con un médico. Reserve una "
                   "hora y venga con su tarjeta Vitale."),
    "find_label": ("Commune ou code postal", "Town or postcode", "البلدية أو الرمز البريدي",
                   "Municipio o código postal"),
    "find_hint": ("Par exemple : Versailles ou 78000", "For example: Versailles or 78000",
                  "مثال: Versailles أو 78000", "Por ejemplo: Versailles o 78000"),
    "find_button": ("Rechercher", "Search", "بحث", "Buscar"),
    "find_results": ("Cabines trouvées : {n}", "Cabins found: {n}", "الكبائن التي وُجدت: {n}",
                     "Cabinas encontradas: {n}"),
    "find_none": ("Aucune cabine ne correspond à « {q} ». Vérifiez l'orthographe ou essayez le "
                  "code postal.", "No cabin matches “{q}”. Check the spelling or try the "
                  "postcode.", "لا توجد كابينة تطابق «{q}». تحقق من الكتابة أو جرّب الرمز البريدي.",
                  "Ninguna cabina coincide con «{q}». Revise la ortografía o pruebe el código "
                  "postal."),
    "err_find_empty": ("Tapez une commune ou un code postal.", "Type a town or a postcode.",
                       "اكتب اسم البلدية أو الرمز البريدي.", "Escriba un municipio o un código "
                       "postal."),
    "address": ("Adresse", "Address", "العنوان", "Dirección"),
    "hours": ("Horaires", "Opening hours", "أوقات العمل", "Horario"),
    "hours_line": ("{days} de {opens} à {closes}", "{days}, {opens} to {closes}",
                   "{days} من {opens} إلى {closes}", "{days} de {opens} a {closes}"),
    "sep": (" : ", ": ", ": ", ": "),
    "every_day": ("Tous les jours", "Every day", "كل يوم", "Todos los días"),
    "locations": ("Jours et lieux de passage", "Days and places it visits", "أيام وأماكن التواجد",
                  "Días y lugares de paso"),
    "next_slot": ("Prochain créneau libre", "Next free time", "أقرب موعد متاح",
                  "Próxima hora libre"),
    "no_slot": ("Aucun créneau libre dans les {n} prochains jours", "No free time in the next "
                "{n} days", "لا توجد مواعيد متاحة خلال الأيام الـ{n} القادمة",
                "Ninguna hora libre en los próximos {n} días"),
    "accessibility": ("Accessibilité", "Accessibility", "إمكانية الوصول", "Accesibilidad"),
    "step_free": ("Accès sans marche", "Step-free access", "دخول بدون درج", "Acceso sin escalones"),
    "hearing_loop": ("Boucle magnétique (malentendants)", "Hearing loop", "حلقة سمعية لضعاف السمع",
                     "Bucle magnético (audición)"),
    "companion_seat": ("Place pour un accompagnant", "Seat for a companion", "مقعد لمرافق",
                       "Asiento para un acompañante"),
    "languages": ("Langues", "Languages", "اللغات", "Idiomas"),
    "walk_ins": ("Sans rendez-vous", "Walk-ins", "بدون موعد", "Sin cita"),
    "walk_ins_yes": ("accepté (après les rendez-vous)", "welcome (after booked patients)",
                     "مقبول (بعد أصحاب المواعيد)", "aceptado (después de las citas)"),
    "walk_ins_no": ("non, sur rendez-vous seulement", "no, by appointment only",
                    "لا، بموعد فقط", "no, solo con cita"),
    "open_now": ("Ouverte en ce moment", "Open now", "مفتوحة الآن", "Abierta ahora"),
    "choose_cabin": ("Choisir un créneau à {name}", "Pick a time at {name}",
                     "اختر موعدًا في {name}", "Elegir una hora en {name}"),
    # slot
    "slot_title": ("Choisir un créneau", "Pick a time", "اختر موعدًا", "Elegir una hora"),
    "slot_days": ("Jours avec des créneaux libres", "Days with free times",
                  "أيام فيها مواعيد متاحة", "Días con horas libres"),
    "slot_legend": ("Créneaux libres le {day}", "Free times on {day}", "المواعيد المتاحة يوم {day}",
                    "Horas libres el {day}"),
    "slot_zone": ("Heures locales de la cabine ({zone}).", "The cabin's local time ({zone}).",
                  "بالتوقيت المحلي للكابينة ({zone}).", "Hora local de la cabina ({zone})."),
    "slot_free_count": ("{n} créneaux", "{n} times", "{n} مواعيد", "{n} horas"),
    "slot_at": ("à {address}", "at {address}", "في {address}", "en {address}"),
    "err_slot_missing": ("Choisissez un créneau.", "Pick a time.", "اختر موعدًا.",
                         "Elija una hora."),
    "err_slot_taken": ("Ce créneau vient d'être pris. Choisissez-en un autre : ce que vous avez "
                       "déjà tapé est gardé.", "This time has just been taken. Pick another: "
                       "what you have typed is kept.", "تم حجز هذا الموعد للتو. اختر موعدًا "
                       "آخر: ما كتبته محفوظ.", "Esta hora acaba de ser reservada. Elija otra: "
                       "lo que ha escrito se conserva."),
    "err_slot_bad": ("Ce créneau n'est plus proposé. Choisissez-en un autre.", "This time is no "
                     "longer offered. Pick another.", "هذا الموعد لم يعد متاحًا. اختر موعدًا آخر.",
                     "Esta hora ya no está disponible. Elija otra."),
    "no_free": ("Plus aucun créneau libre dans cette cabine pour le moment.", "No free time at "
                "this cabin for now.", "لا توجد مواعيد متاحة في هذه الكابينة حاليًا.",
                "No quedan horas libres en esta cabina por ahora."),
    # who
    "who_title": ("Qui vient au rendez-vous ?", "Who is coming?", "من سيحضر الموعد؟",
                  "¿Quién viene a la cita?"),
    "who_why": ("Tapez le nom, le prénom et la date de naissance tels qu'ils sont écrits sur la "
                "carte Vitale : à la cabine, la carte vous reconnaîtra grâce à eux. Nous ne "
                "gardons pas ces informations, seulement une empreinte chiffrée, effacée après "
                "le rendez-vous.",
                "Type the last name, first name and birth date exactly as on the Carte Vitale: "
                "at the cabin, the card recognises you by them. We do not keep them, only an "
                "encrypted fingerprint, erased after the appointment.",
                "اكتب اسم العائلة والاسم الأول وتاريخ الميلاد كما هي مكتوبة على بطاقة Vitale: "
                "في الكابينة تتعرّف عليك البطاقة بواسطتها. لا نحتفظ بهذه المعلومات، بل ببصمة "
                "مشفّرة فقط تُمحى بعد الموعد.",
                "Escriba el apellido, el nombre y la fecha de nacimiento tal como figuran en la "
                "tarjeta Vitale: en la cabina, la tarjeta le reconoce con ellos. No los "
                "guardamos, solo una huella cifrada, borrada después de la cita."),
    "who_legend": ("Le rendez-vous est pour", "The appointment is for", "الموعد لـ",
                   "La cita es para"),
    "who_self": ("moi", "me", "أنا", "mí"),
    "who_child": ("un enfant inscrit sur ma carte Vitale", "a child on my Carte Vitale",
                  "طفل مسجّل على بطاقة Vitale الخاصة بي", "un niño inscrito en mi tarjeta Vitale"),
    "last_name": ("Nom de famille", "Last name", "اسم العائلة", "Apellido"),
    "first_name": ("Prénom", "First name", "الاسم الأول", "Nombre"),
    "name_hint": ("En lettres latines, comme sur la carte.", "In Latin letters, as on the card.",
                  "بالحروف اللاتينية كما على البطاقة.", "En letras latinas, como en la tarjeta."),
    "birth": ("Date de naissance", "Date of birth", "تاريخ الميلاد", "Fecha de nacimiento"),
    "birth_hint": ("Par exemple : 14 3 1985", "For example: 14 3 1985", "مثال: 14 3 1985",
                   "Por ejemplo: 14 3 1985"),
    "day": ("Jour", "Day", "اليوم", "Día"),
    "month": ("Mois", "Month", "الشهر", "Mes"),
    "year": ("Année", "Year", "السنة", "Año"),
    "err_who_missing": ("Dites pour qui est le rendez-vous.", "Say who the appointment is for.",
                        "حدّد لمن الموعد.", "Indique para quién es la cita."),
    "err_last_missing": ("Tapez le nom de famille.", "Type the last name.", "اكتب اسم العائلة.",
                         "Escriba el apellido."),
    "err_first_missing": ("Tapez le prénom.", "Type the first name.", "اكتب الاسم الأول.",
                          "Escriba el nombre."),
    "err_latin": ("Tapez le nom en lettres latines, comme il est écrit sur la carte Vitale.",
                  "Type the name in Latin letters, as written on the Carte Vitale.",
                  "اكتب الاسم بالحروف اللاتينية كما هو مكتوب على بطاقة Vitale.",
                  "Escriba el nombre en letras latinas, como figura en la tarjeta Vitale."),
    "err_birth_missing": ("Tapez la date de naissance.", "Type the date of birth.",
                          "اكتب تاريخ الميلاد.", "Escriba la fecha de nacimiento."),
    "err_birth_bad": ("La date de naissance doit être une vraie date, par exemple 14 3 1985.",
                      "The date of birth must be a real date, for example 14 3 1985.",
                      "يجب أن يكون تاريخ الميلاد تاريخًا صحيحًا، مثال: 14 3 1985.",
                      "La fecha de nacimiento debe ser una fecha real, por ejemplo 14 3 1985."),
    "err_birth_future": ("La date de naissance ne peut pas être dans le futur.",
                         "The date of birth cannot be in the future.",
                         "لا يمكن أن يكون تاريخ الميلاد في المستقبل.",
                         "La fecha de nacimiento no puede ser futura."),
    # phone
    "phone_title": ("Votre numéro de portable", "Your mobile number", "رقم هاتفك المحمول",
                    "Su número de móvil"),
    "phone_hint": ("Nous y envoyons un code à 6 chiffres, puis la confirmation. Par exemple : "
                   "06 12 34 56 78.", "We send a 6-digit code to it, then the confirmation. "
                   "For example: 06 12 34 56 78.", "سنرسل إليه رمزًا من 6 أرقام ثم التأكيد. "
                   "مثال: 06 12 34 56 78.", "Le enviamos un código de 6 cifras y luego la "
                   "confirmación. Por ejemplo: 06 12 34 56 78."),
    "phone_button": ("Recevoir le code par SMS", "Send me the code by SMS",
                     "أرسل لي الرمز عبر رسالة SMS", "Recibir el código por SMS"),
    "err_phone_missing": ("Tapez un numéro de portable.", "Type a mobile number.",
                          "اكتب رقم هاتف محمول.", "Escriba un número de móvil."),
    "err_phone_bad": ("Tapez un numéro de portable français (métropole ou outre-mer), par "
                      "exemple 06 12 34 56 78.", "Type a French mobile number (mainland or "
                      "overseas), for example 06 12 34 56 78.", "اكتب رقم هاتف محمول فرنسيًا "
                      "(فرنسا أو أقاليم ما وراء البحار)، مثال: 06 12 34 56 78.",
                      "Escriba un número de móvil francés (metrópoli o ultramar), por ejemplo "
                      "06 12 34 56 78."),
    "err_codes_phone": ("Trop de codes demandés pour ce numéro. Réessayez dans une heure.",
                        "Too many codes asked for this number. Try again in an hour.",
                        "طُلبت رموز كثيرة لهذا الرقم. حاول مرة أخرى بعد ساعة.",
                        "Demasiados códigos pedidos para este número. Inténtelo dentro de una "
                        "hora."),
    "err_limited": ("Trop de demandes. Réessayez dans une heure.", "Too many requests. Try again "
                    "in an hour.", "طلبات كثيرة جدًا. حاول مرة أخرى بعد ساعة.",
                    "Demasiadas solicitudes. Inténtelo dentro de una hora."),
    "err_bookings_phone": ("Ce numéro a déjà {n} rendez-vous à venir. Annulez-en un (lien dans "
                           "le SMS) pour en prendre un autre.", "This number already has {n} "
                           "appointments to come. Cancel one (link in the SMS) to book another.",
                           "لهذا الرقم {n} مواعيد قادمة بالفعل. ألغِ أحدها (الرابط في الرسالة) "
                           "لحجز موعد آخر.", "Este número ya tiene {n} citas pendientes. "
                           "Anule una (enlace en el SMS) para reservar otra."),
    "sms_down": ("Nous n'arrivons pas à envoyer de SMS pour le moment. Rien n'est réservé. "
                 "Réessayez dans quelques minutes.", "We cannot send text messages right now. "
                 "Nothing is booked. Please try again in a few minutes.", "لا يمكننا إرسال "
                 "الرسائل حاليًا. لم يُحجز أي شيء. حاول مرة أخرى بعد بضع دقائق.",
                 "No podemos enviar SMS en este momento. No se ha reservado nada. Inténtelo "
                 "de nuevo en unos minutos."),
    # code
    "code_title": ("Tapez le code reçu par SMS", "Type the code sent by SMS",
                   "اكتب الرمز الذي وصلك عبر SMS", "Escriba el código recibido por SMS"),
    "code_sent_to": ("Envoyé au {phone}. Il est valable {minutes} minutes.", "Sent to {phone}. "
                     "It is valid for {minutes} minutes.", "أُرسل إلى {phone}. صالح لمدة "
                     "{minutes} دقائق.", "Enviado al {phone}. Es válido {minutes} minutos."),
    "code_label": ("Code à 6 chiffres", "6-digit code", "الرمز المكوّن من 6 أرقام",
                   "Código de 6 cifras"),
    "code_button": ("Confirmer le rendez-vous", "Confirm the appointment", "تأكيد الموعد",
                    "Confirmar la cita"),
    "code_resend": ("Recevoir un nouveau code", "Send a new code", "أرسل رمزًا جديدًا",
                    "Recibir un código nuevo"),
    "code_other_phone": ("Changer de numéro", "Use another number", "تغيير الرقم",
                         "Cambiar de número"),
    "code_new_sent": ("Un nouveau code a été envoyé.", "A new code has been sent.",
                      "تم إرسال رمز جديد.", "Se ha enviado un código nuevo."),
    "err_code_missing": ("Tapez le code à 6 chiffres.", "Type the 6-digit code.",
                         "اكتب الرمز المكوّن من 6 أرقام.", "Escriba el código de 6 cifras."),
    "err_code_wrong": ("Ce code n'est pas le bon. Essais restants : {n}.", "This code is not "
                       "right. Tries left: {n}.", "هذا الرمز غير صحيح. المحاولات المتبقية: {n}.",
                       "Este código no es correcto. Intentos restantes: {n}."),
    "err_code_used": ("Trop d'essais avec ce code. Demandez un nouveau code.", "Too many tries "
                      "with this code. Ask for a new code.", "محاولات كثيرة بهذا الرمز. اطلب "
                      "رمزًا جديدًا.", "Demasiados intentos con este código. Pida un código "
                      "nuevo."),
    "err_code_expired": ("Ce code a expiré. Demandez un nouveau code.", "This code has expired. "
                         "Ask for a new code.", "انتهت صلاحية هذا الرمز. اطلب رمزًا جديدًا.",
                         "Este código ha caducado. Pida un código nuevo."),
    # done
    "done_title": ("Rendez-vous confirmé", "Appointment confirmed", "تم تأكيد الموعد",
                   "Cita confirmada"),
    "done_code": ("Votre code de rendez-vous", "Your booking code", "رمز موعدك",
                  "Su código de cita"),
    "when": ("Quand", "When", "متى", "Cuándo"),
    "where": ("Où", "Where", "أين", "Dónde"),
    "at_time": ("{date} à {time}", "{date} at {time}", "{date} الساعة {time}",
                "{date} a las {time}"),
    "bring": ("Apportez votre carte Vitale.", "Bring your Carte Vitale.",
              "أحضر بطاقة Vitale الخاصة بك.", "Traiga su tarjeta Vitale."),
    "done_sms": ("Un SMS de confirmation part au {phone}, avec un lien pour voir, déplacer ou "
                 "annuler le rendez-vous.", "A confirmation SMS is on its way to {phone}, with "
                 "a link to see, move or cancel the appointment.", "رسالة تأكيد في طريقها إلى "
                 "{phone}، مع رابط لعرض الموعد أو تغييره أو إلغائه.", "Un SMS de confirmación "
                 "va al {phone}, con un enlace para ver, cambiar o anular la cita."),
    "done_reminder": ("Un rappel vous sera envoyé {h} heures avant.", "A reminder will be sent "
                      "{h} hours before.", "سيُرسل إليك تذكير قبل الموعد بـ{h} ساعة.",
                      "Se le enviará un recordatorio {h} horas antes."),
    "done_no_card": ("Sans carte Vitale, tapez ce code sur l'écran de la cabine.",
                     "Without a Carte Vitale, type this code on the cabin's screen.",
                     "بدون بطاقة Vitale، اكتب هذا الرمز على شاشة الكابينة.",
                     "Sin tarjeta Vitale, escriba este código en la pantalla de la cabina."),
    "manage_this": ("Voir, déplacer ou annuler ce rendez-vous", "See, move or cancel this "
                    "appointment", "عرض هذا الموعد أو تغييره أو إلغاؤه", "Ver, cambiar o anular "
                    "esta cita"),
    # manage
    "manage_title": ("Votre rendez-vous", "Your appointment", "موعدك", "Su cita"),
    "status": ("État", "Status", "الحالة", "Estado"),
    "status_booked": ("réservé", "booked", "محجوز", "reservada"),
    "status_checked_in": ("vous êtes venu", "you came", "لقد حضرت", "ha venido"),
    "status_cancelled": ("annulé", "cancelled", "ملغى", "anulada"),
    "status_no_show": ("non venu", "missed", "لم تحضر", "no acudió"),
    "move": ("Déplacer le rendez-vous", "Move the appointment", "تغيير موعد الحجز",
             "Cambiar la cita"),
    "move_button": ("Déplacer à ce créneau", "Move to this time", "نقل الموعد إلى هذا الوقت",
                    "Cambiar a esta hora"),
    "moved": ("Rendez-vous déplacé. Un nouveau SMS avec un nouveau lien a été envoyé.",
              "Appointment moved. A new SMS with a new link has been sent.",
              "تم تغيير الموعد. أُرسلت رسالة جديدة برابط جديد.",
              "Cita cambiada. Se ha enviado un nuevo SMS con un nuevo enlace."),
    "cancel": ("Annuler le rendez-vous", "Cancel the appointment", "إلغاء الموعد",
               "Anular la cita"),
    "cancel_question": ("Voulez-vous vraiment annuler le rendez-vous du {when} ?",
                        "Do you really want to cancel the appointment on {when}?",
                        "هل تريد فعلًا إلغاء موعد {when}؟",
                        "¿Quiere realmente anular la cita del {when}?"),
    "cancel_yes": ("Oui, annuler le rendez-vous", "Yes, cancel the appointment",
                   "نعم، ألغِ الموعد", "Sí, anular la cita"),
    "cancel_keep": ("Non, garder le rendez-vous", "No, keep the appointment",
                    "لا، احتفظ بالموعد", "No, mantener la cita"),
    "cancelled_title": ("Rendez-vous annulé", "Appointment cancelled", "تم إلغاء الموعد",
                        "Cita anulada"),
    "cancelled": ("Le rendez-vous est annulé et le créneau libéré. Un SMS vous le confirme.",
                  "The appointment is cancelled and the time freed. An SMS confirms it.",
                  "تم إلغاء الموعد وتحرير الوقت. ستصلك رسالة تؤكد ذلك.",
                  "La cita está anulada y la hora liberada. Un SMS se lo confirma."),
    "book_again": ("Prendre un autre rendez-vous", "Book another appointment", "احجز موعدًا آخر",
                   "Reservar otra cita"),
    "link_bad_title": ("Ce lien ne marche plus", "This link no longer works",
                       "هذا الرابط لم يعد يعمل", "Este enlace ya no funciona"),
    "link_bad": ("Le lien est incomplet, a été modifié, ou le rendez-vous est passé ou déplacé "
                 "(un rendez-vous déplacé a un nouveau lien, dans le dernier SMS).",
                 "The link is incomplete or altered, or the appointment is past or moved (a "
                 "moved appointment has a new link, in the latest SMS).",
                 "الرابط ناقص أو معدَّل، أو أن الموعد انتهى أو تغيّر (للموعد المُغيَّر رابط "
                 "جديد في آخر رسالة).",
                 "El enlace está incompleto o modificado, o la cita ha pasado o ha cambiado "
                 "(una cita cambiada tiene un enlace nuevo, en el último SMS)."),
    "flow_gone_title": ("Votre demande a expiré", "Your request has expired", "انتهت صلاحية طلبك",
                        "Su solicitud ha caducado"),
    "flow_gone": ("Rien n'a été réservé. Recommencez : cela ne prend que quelques minutes.",
                  "Nothing was booked. Start again: it only takes a few minutes.",
                  "لم يُحجز أي شيء. ابدأ من جديد: الأمر يستغرق بضع دقائق فقط.",
                  "No se ha reservado nada. Empiece de nuevo: solo lleva unos minutos."),
    "start_again": ("Recommencer", "Start again", "ابدأ من جديد", "Empezar de nuevo"),
    "not_found": ("Page introuvable", "Page not found", "الصفحة غير موجودة",
                  "Página no encontrada"),
    "unavailable": ("Le service est momentanément indisponible. Rien n'est réservé. Réessayez "
                    "dans quelques minutes.", "The service is unavailable for a moment. Nothing "
                    "is booked. Please try again in a few minutes.", "الخدمة غير متاحة مؤقتًا. "
                    "لم يُحجز أي شيء. حاول مرة أخرى بعد بضع دقائق.", "El servicio no está "
                    "disponible por un momento. No se ha reservado nada. Inténtelo en unos "
                    "minutos."),
}  # fmt: skip
T.update(ABOUT)

#: Examples that must read left to right and never break across lines (in Arabic too).
_EXAMPLES = ("06 12 34 56 78", "14 3 1985", "09 69 39 00 00")
#: Latin runs of the Arabic texts, isolated left to right (U+2068...U+2069) so that their
#: numbers and brackets keep their order.
_LATIN_IN_ARABIC = (
    "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
    "www.defenseurdesdroits.fr",
    "www.cnil.fr",
    "RGAA 4.1",
    "WCAG 2.1",
)


def _latin_isolated(text: str) -> str:
    for run in _LATIN_IN_ARABIC:
        text = text.replace(run, f"\u2068{run}\u2069")
    return text


def ltr_unbroken(text: str) -> str:
    """``text`` isolated left to right (U+2066...U+2069), its spaces non-breaking."""
    return "\u2066" + text.replace(" ", "\u00a0") + "\u2069"


def _examples_kept_together(text: str) -> str:
    for example in _EXAMPLES:
        text = text.replace(example, ltr_unbroken(example))
    return text


def _french_spaces(text: str) -> str:
    """French typography: a no-break space before ? ! : ; and inside « », so that a
    question mark never starts a line alone."""
    for mark in "?!:;»":
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text.replace("« ", "«\u00a0")


for _key, _texts in T.items():
    _fr, _en, _ar, _es = (_examples_kept_together(t) for t in _texts)
    T[_key] = (_french_spaces(_fr), _en, _latin_isolated(_ar), _es)


def text(lang: str, key: str, **fields: object) -> str:
    """The text of ``key`` in ``lang`` with its ``{fields}`` filled."""
    value = T[key][LANGS.index(lang)]
    return value.format(**fields) if fields else value
