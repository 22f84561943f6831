"""The words of the privacy, legal and accessibility pages (fr, en, ar, es): merged into
:data:`portal.booking.i18n.T`."""

from __future__ import annotations

ABOUT: dict[str, tuple[str, str, str, str]] = {
    "a11y_page": ("Déclaration d'accessibilité", "Accessibility statement", "بيان إمكانية الوصول",
                  "Declaración de accesibilidad"),
    "controller": ("Responsable du traitement", "Data controller", "المسؤول عن المعالجة",
                   "Responsable del tratamiento"),
    "contact": ("Contact", "Contact", "التواصل", "Contacto"),
    "dpo": ("Délégué à la protection des données", "Data protection officer",
            "مندوب حماية البيانات", "Delegado de protección de datos"),
    "kept_title": ("Ce qui est gardé", "What is kept", "ما نحتفظ به", "Lo que se guarda"),
    "kept": ("Pour un rendez-vous : la cabine, l'heure, la langue, votre numéro de portable, le "
             "code de rendez-vous et une empreinte chiffrée (HMAC) du nom, du prénom et de la date "
             "de naissance, qui permet à la carte Vitale de vous reconnaître à la cabine. Le nom, "
             "la date de naissance et le numéro de sécurité sociale ne sont pas gardés.",
             "For an appointment: the cabin, the time, the language, your mobile number, the "
             "booking code and an encrypted fingerprint (HMAC) of the last name, first name and "
             "birth date, by which the Carte Vitale recognises you at the cabin. The names, the "
             "birth date and the social security number are not kept.",
             "لكل موعد: الكابينة والوقت واللغة ورقم هاتفك المحمول ورمز الموعد وبصمة مشفّرة "
             "(HMAC) لاسم العائلة والاسم الأول وتاريخ الميلاد، تتعرّف بها بطاقة Vitale عليك في "
             "الكابينة. لا نحتفظ بالأسماء ولا بتاريخ الميلاد ولا برقم الضمان الاجتماعي.",
             "Para una cita: la cabina, la hora, el idioma, su número de móvil, el código de la "
             "cita y una huella cifrada (HMAC) del apellido, el nombre y la fecha de nacimiento, "
             "con la que la tarjeta Vitale le reconoce en la cabina. No se guardan los nombres, "
             "la fecha de nacimiento ni el número de la seguridad social."),
    "how_long_title": ("Combien de temps", "For how long", "إلى متى", "Durante cuánto tiempo"),
    "how_long": ("Tout est effacé {h} heures après l'heure du rendez-vous, SMS compris. Le code "
                 "à 6 chiffres n'est gardé que chiffré, {m} minutes au plus, dans la mémoire du "
                 "serveur.", "Everything is erased {h} hours after the appointment's time, text "
                 "messages included. The 6-digit code is kept only encrypted, {m} minutes at "
                 "most, in the server's memory.", "يُمحى كل شيء بعد {h} ساعة من وقت الموعد، بما "
                 "في ذلك الرسائل. لا يُحفظ الرمز المكوّن من 6 أرقام إلا مشفّرًا، {m} دقائق على "
                 "الأكثر، في ذاكرة الخادم.", "Todo se borra {h} horas después de la hora de la "
                 "cita, SMS incluidos. El código de 6 cifras solo se guarda cifrado, {m} minutos "
                 "como máximo, en la memoria del servidor."),
    "why_title": ("Pourquoi", "Why", "لماذا", "Para qué"),
    "why": ("Prendre et gérer votre rendez-vous et vous envoyer les SMS (code, confirmation, "
            "rappel). Base légale : mission d'intérêt public (article 6.1.e du RGPD).",
            "To book and manage your appointment and send you the text messages (code, "
            "confirmation, reminder). Legal basis: a task in the public interest (GDPR "
            "article 6.1.e).", "لحجز موعدك وإدارته وإرسال الرسائل إليك (الرمز والتأكيد "
            "والتذكير). الأساس القانوني: مهمة للمصلحة العامة (المادة \u20666.1.e\u2069 "
            "من اللائحة العامة لحماية البيانات).",
            "Reservar y gestionar su cita y enviarle los SMS (código, confirmación, "
            "recordatorio). Base jurídica: misión de interés público (artículo "
            "6.1.e del RGPD)."),
    "cookies_title": ("Cookies et traceurs", "Cookies and trackers", "ملفات تعريف الارتباط "
                      "والمتتبعات", "Cookies y rastreadores"),
    "cookies": ("Ce site ne dépose aucun cookie, n'utilise aucun traceur et ne charge rien d'un "
                "autre site. Une réservation en cours est désignée par un identifiant au hasard "
                "dans l'adresse de la page, oublié 30 minutes après.", "This site sets no "
                "cookie, uses no tracker and loads nothing from another site. A booking in "
                "progress is named by a random identifier in the page's address, forgotten 30 "
                "minutes later.", "لا يضع هذا الموقع أي ملف تعريف ارتباط ولا يستخدم أي متتبع "
                "ولا يحمّل شيئًا من موقع آخر. يُعرَّف الحجز الجاري بمعرّف عشوائي في عنوان "
                "الصفحة يُنسى بعد 30 دقيقة.", "Este sitio no instala ninguna cookie, no usa "
                "rastreadores y no carga nada de otro sitio. Una reserva en curso se designa "
                "con un identificador aleatorio en la dirección de la página, olvidado 30 "
                "minutos después."),
    "rights_title": ("Vos droits", "Your rights", "حقوقك", "Sus derechos"),
    "rights": ("Vous pouvez demander l'accès à vos données, leur rectification ou leur "
               "effacement, ou annuler le rendez-vous par le lien du SMS. Vous pouvez aussi "
               "saisir la CNIL (www.cnil.fr).", "You may ask to see, correct or erase your "
               "data, or cancel the appointment by the SMS's link. You may also complain to "
               "the CNIL (www.cnil.fr).", "يمكنك طلب الاطلاع على بياناتك أو تصحيحها أو "
               "محوها، أو إلغاء الموعد عبر رابط الرسالة. ويمكنك أيضًا تقديم شكوى إلى CNIL "
               "(www.cnil.fr).", "Puede pedir el acceso, la rectificación o el borrado de sus "
               "datos, o anular la cita con el enlace del SMS. También puede acudir a la CNIL "
               "(www.cnil.fr)."),
    "publisher": ("Éditeur du site", "Publisher", "ناشر الموقع", "Editor del sitio"),
    "hosting": ("Hébergement : les serveurs de l'éditeur, en France.", "Hosting: the "
                "publisher's servers, in France.", "الاستضافة: خوادم الناشر في فرنسا.",
                "Alojamiento: los servidores del editor, en Francia."),
    "software": ("Logiciel : Cabine, logiciel libre.", "Software: Cabine, free software.",
                 "البرنامج: Cabine، برنامج حر.", "Software: Cabine, software libre."),
    "a11y_commit": ("{who} s'engage à rendre ce site accessible, conformément à l'article 47 "
                    "de la loi n° 2005-102 du 11 février 2005.", "{who} is committed to making "
                    "this site accessible, under article 47 of French law 2005-102 of 11 "
                    "February 2005.", "تلتزم {who} بجعل هذا الموقع متاحًا للجميع، وفقًا "
                    "للمادة 47 من القانون الفرنسي رقم 2005-102 المؤرخ 11 فبراير 2005.",
                    "{who} se compromete a hacer accesible este sitio, conforme al artículo 47 "
                    "de la ley francesa 2005-102 del 11 de febrero de 2005."),
    "a11y_status_title": ("État de conformité", "Compliance status", "حالة المطابقة",
                          "Estado de conformidad"),
    "a11y_status_partial": ("Ce site est partiellement conforme au RGAA 4.1 (WCAG 2.1 niveau "
                            "AA) : aucun audit complet n'a encore été fait.", "This site is "
                            "partially compliant with RGAA 4.1 (WCAG 2.1 level AA): no full "
                            "audit has been made yet.", "هذا الموقع مطابق جزئيًا لـ RGAA 4.1 "
                            "(WCAG 2.1 المستوى AA): لم يُجرَ تدقيق كامل بعد.", "Este sitio es "
                            "parcialmente conforme con el RGAA 4.1 (WCAG 2.1 nivel AA): aún no "
                            "se ha hecho una auditoría completa."),
    "a11y_status_full": ("Ce site est totalement conforme au RGAA 4.1 (WCAG 2.1 niveau AA).",
                         "This site is fully compliant with RGAA 4.1 (WCAG 2.1 level AA).",
                         "هذا الموقع مطابق كليًا لـ RGAA 4.1 (WCAG 2.1 المستوى AA).",
                         "Este sitio es totalmente conforme con el RGAA 4.1 (WCAG 2.1 nivel "
                         "AA)."),
    "a11y_status_none": ("Ce site n'est pas conforme au RGAA 4.1.", "This site is not compliant "
                         "with RGAA 4.1.", "هذا الموقع غير مطابق لـ RGAA 4.1.", "Este sitio no "
                         "es conforme con el RGAA 4.1."),
    "a11y_tests_title": ("Résultats des tests", "Test results", "نتائج الاختبارات",
                         "Resultados de las pruebas"),
    "a11y_tests": ("À chaque version, des tests automatiques vérifient avec axe-core (niveaux A "
                   "et AA) chaque page et chaque message d'erreur dans les 4 langues (0 erreur "
                   "exigée), l'affichage à 320 pixels de large et avec un zoom de 200 % sans "
                   "défilement horizontal, et une réservation complète au clavier seul.",
                   "At every release, automatic tests check every page and every error message "
                   "in the 4 languages with axe-core (levels A and AA, 0 error required), the "
                   "display at 320 pixels wide and at 200 % zoom without horizontal scrolling, "
                   "and a whole booking with the keyboard only.", "في كل إصدار، تفحص اختبارات "
                   "آلية بواسطة axe-core (المستويان A وAA) كل صفحة وكل رسالة خطأ باللغات الأربع "
                   "(المطلوب 0 أخطاء)، والعرض بعرض 320 بكسل وبتكبير 200 % دون تمرير أفقي، وحجزًا "
                   "كاملًا باستخدام لوحة المفاتيح فقط.", "En cada versión, pruebas automáticas "
                   "comprueban con axe-core (niveles A y AA) cada página y cada mensaje de error "
                   "en los 4 idiomas (0 errores exigidos), la visualización a 320 píxeles de "
                   "ancho y con zoom del 200 % sin desplazamiento horizontal, y una reserva "
                   "completa solo con el teclado."),
    "a11y_tech": ("Technologies : HTML et CSS ; le site marche sans JavaScript.", "Technologies: "
                  "HTML and CSS; the site works without JavaScript.", "التقنيات: HTML وCSS؛ "
                  "يعمل الموقع دون JavaScript.", "Tecnologías: HTML y CSS; el sitio funciona "
                  "sin JavaScript."),
    "a11y_contact_title": ("Signaler un problème", "Report a problem", "الإبلاغ عن مشكلة",
                           "Informar de un problema"),
    "a11y_contact": ("Si vous n'arrivez pas à utiliser une partie du site, écrivez-nous : {c}. "
                     "Nous vous aiderons à prendre rendez-vous autrement.", "If you cannot use "
                     "part of the site, write to us: {c}. We will help you book another way.",
                     "إذا لم تتمكن من استخدام جزء من الموقع، راسلنا: {c}. سنساعدك على الحجز "
                     "بطريقة أخرى.", "Si no puede usar una parte del sitio, escríbanos: {c}. Le "
                     "ayudaremos a reservar de otra forma."),
    "a11y_appeal_title": ("Voies de recours", "Appeals", "طرق الطعن", "Vías de recurso"),
    "a11y_appeal": ("Sans réponse satisfaisante, vous pouvez saisir le Défenseur des droits "
                    "(www.defenseurdesdroits.fr, 09 69 39 00 00, ou par courrier gratuit : "
                    "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).",
                    "Without a satisfactory answer, you may contact the Défenseur des droits "
                    "(www.defenseurdesdroits.fr, 09 69 39 00 00, or free post: Défenseur des "
                    "droits, Libre réponse 71120, 75342 Paris CEDEX 07).", "إذا لم تحصل على "
                    "ردّ مُرضٍ، يمكنك اللجوء إلى Défenseur des droits (www.defenseurdesdroits.fr، "
                    "09 69 39 00 00، أو بالبريد المجاني: Défenseur des droits, Libre réponse "
                    "71120, 75342 Paris CEDEX 07).", "Sin una respuesta satisfactoria, puede "
                    "acudir al Défenseur des droits (www.defenseurdesdroits.fr, 09 69 39 00 00, "
                    "o por correo gratuito: Défenseur des droits, Libre réponse 71120, 75342 "
                    "Paris CEDEX 07)."),
    "audit_date": ("Déclaration établie le {d}.", "Statement made on {d}.",
                   "أُعدّ هذا البيان في {d}.", "Declaración establecida el {d}."),
}  # fmt: skip
