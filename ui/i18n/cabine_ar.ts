<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
  <context>
    <name>BookingCode</name>
    <message>
      <location filename="../screens/booking_code.py" line="242" />
      <source>Enter your booking code</source>
      <translation>أدخل رمز موعدك</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="245" />
      <source>It is in the SMS confirming your appointment: 6 letters and numbers.</source>
      <translation>تجده في الرسالة القصيرة التي تؤكد موعدك: 6 حروف وأرقام.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="250" />
      <source>Check my code</source>
      <translation>تحقق من رمزي</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="251" />
      <source>Erase</source>
      <translation>مسح</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="252" />
      <source>Leave</source>
      <translation>مغادرة</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="253" />
      <source>Wait without an appointment</source>
      <translation>الانتظار بدون موعد</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="255" />
      <source>You can also insert your Carte Vitale at any time.</source>
      <translation>يمكنك أيضًا إدخال بطاقة فيتال في أي وقت.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="264" />
      <source>Checking your code…</source>
      <translation>جارٍ التحقق من رمزك…</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="266" />
      <source>This code was not found. Check the SMS you received and try again.</source>
      <translation>لم نجد هذا الرمز. راجع الرسالة القصيرة التي وصلتك وحاول مرة أخرى.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="271" />
      <source>Too many tries. Please insert your Carte Vitale, or call the staff.</source>
      <translation>محاولات كثيرة جدًا. يرجى إدخال بطاقة فيتال أو نداء الموظفين.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="276" />
      <source>Your code cannot be checked right now. Try again in a moment, or call the staff.</source>
      <translation>لا يمكن التحقق من رمزك الآن. حاول مرة أخرى بعد قليل أو نادِ الموظفين.</translation>
    </message>
  </context>
  <context>
    <name>Cleaning</name>
    <message>
      <location filename="../screens/cleaning.py" line="21" />
      <source>The cabin is being cleaned</source>
      <translation>يجري تنظيف المقصورة</translation>
    </message>
    <message>
      <location filename="../screens/cleaning.py" line="23" />
      <source>Please wait a moment.
The next person can come in soon.</source>
      <translation>يرجى الانتظار قليلاً.
يمكن للشخص التالي الدخول قريبًا.</translation>
    </message>
    <message>
      <location filename="../screens/cleaning.py" line="25" />
      <source>Staff only: cleaning done</source>
      <translation>للموظفين فقط: تم التنظيف</translation>
    </message>
  </context>
  <context>
    <name>ConfirmIdentity</name>
    <message>
      <location filename="../screens/confirm_identity.py" line="25" />
      <location filename="../screens/confirm_identity.py" line="23" />
      <source>born in {date}</source>
      <translation>مولود(ة) في {date}</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="26" />
      <source>born on {date}</source>
      <translation>مولود(ة) في {date}</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="45" />
      <source>Who is seeing the doctor today?</source>
      <translation>من سيرى الطبيب اليوم؟</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="46" />
      <source>Touch your name.</source>
      <translation>المس اسمك.</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="47" />
      <source>None of these people</source>
      <translation>لا أحد من هؤلاء الأشخاص</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="28" />
      <source>{month} {year}</source>
      <translation>{month} {year}</translation>
    </message>
  </context>
  <context>
    <name>Consent</name>
    <message>
      <location filename="../screens/consent.py" line="23" />
      <source>Before the video consultation</source>
      <translation>قبل الاستشارة بالفيديو</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="27" />
      <source>You will talk with a doctor by video.</source>
      <translation>ستتحدث مع طبيب عبر الفيديو.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="29" />
      <source>The doctor sees your name, your date of birth, your social security number and your measurements.</source>
      <translation>يرى الطبيب اسمك وتاريخ ميلادك ورقم الضمان الاجتماعي وقياساتك.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="35" />
      <source>Nothing about you stays in the cabin after you leave.</source>
      <translation>لا يبقى أي شيء عنك في المقصورة بعد مغادرتك.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="36" />
      <source>You can stop at any time.</source>
      <translation>يمكنك التوقف في أي وقت.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="40" />
      <source>Yes, I agree</source>
      <translation>نعم، أوافق</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="41" />
      <source>No, stop here</source>
      <translation>لا، أتوقف هنا</translation>
    </message>
  </context>
  <context>
    <name>Emergency</name>
    <message>
      <location filename="../screens/idle.py" line="67" />
      <source>Not for emergencies: in an emergency, call 15 or 112.</source>
      <translation>ليست للحالات الطارئة: في حالة الطوارئ، اتصل بالرقم 15 أو 112.</translation>
    </message>
  </context>
  <context>
    <name>Fault</name>
    <message>
      <location filename="../screens/fault.py" line="13" />
      <source>This Carte Vitale is an old model that this cabin cannot read.
Your health insurance fund (ameli.fr) can give you a new one.</source>
      <translation>بطاقة فيتال هذه نموذج قديم لا تستطيع هذه المقصورة قراءته.
يمكن لصندوق التأمين الصحي الخاص بك (ameli.fr) أن يمنحك بطاقة جديدة.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="13" />
      <source>The information on this card could not be read.
If it happens again, your health insurance fund (ameli.fr) can replace the card.</source>
      <translation>تعذّرت قراءة المعلومات الموجودة على هذه البطاقة.
إذا تكرر ذلك، يمكن لصندوق التأمين الصحي الخاص بك (ameli.fr) استبدال البطاقة.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="13" />
      <source>Take this card out, then put in a Carte Vitale to try again.
Or press “Finish” to leave.</source>
      <translation>اسحب هذه البطاقة، ثم أدخل بطاقة فيتال للمحاولة مرة أخرى.
أو اضغط على «إنهاء» للمغادرة.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>The doctor has ended the consultation</source>
      <translation>أنهى الطبيب الاستشارة</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>Press “Finish” to leave.</source>
      <translation>اضغط على «إنهاء» للمغادرة.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>The consultation has ended.
Press “Finish”: your papers will be printed, then everything about you is erased.</source>
      <translation>انتهت الاستشارة.
اضغط على «إنهاء»: ستُطبع أوراقك، ثم يُمحى كل ما يخصك.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="14" />
      <source>This card is not a Carte Vitale.</source>
      <translation>هذه البطاقة ليست بطاقة فيتال.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="20" />
      <source>No one is registered on this card.</source>
      <translation>لا يوجد أي شخص مسجل على هذه البطاقة.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="21" />
      <source>Check that the chip is facing down and clean.</source>
      <translation>تأكد أن الشريحة متجهة إلى الأسفل ونظيفة.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="27" />
      <source>Your card was taken out</source>
      <translation>لقد أُخرجت بطاقتك من القارئ</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="27" />
      <source>To go on, put your Carte Vitale back into the slot.
Or press “Finish”: the session ends and your data is erased.</source>
      <translation>للمتابعة، أعد بطاقة فيتال إلى الفتحة.
أو اضغط على «إنهاء»: تنتهي الجلسة وتُمحى بياناتك.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="33" />
      <source>We could not read your card</source>
      <translation>لم نتمكن من قراءة بطاقتك</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="36" />
      <source>Take the card out and put it back in to try again.
Or press “Finish” to leave.</source>
      <translation>اسحب البطاقة ثم أعد إدخالها للمحاولة مرة أخرى.
أو اضغط على «إنهاء» للمغادرة.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="45" />
      <source>The connection with the doctor could not be restored</source>
      <translation>تعذّرت استعادة الاتصال بالطبيب</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="46" />
      <source>The consultation has ended. Nothing was kept: your data is erased.
To book a new consultation, use the booking website or ask the staff at the desk.
Press “Finish” to leave.</source>
      <translation>انتهت الاستشارة. لم يُحفظ أي شيء: مُحيت بياناتك.
لحجز استشارة جديدة، استخدم موقع الحجز أو اسأل الموظفين في الاستقبال.
اضغط على «إنهاء» للمغادرة.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="55" />
      <source>The connection to the doctor was lost</source>
      <translation>انقطع الاتصال بالطبيب</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="55" />
      <source>We are reconnecting. Please stay here: your consultation is kept.
If it does not come back, the session ends and your data is erased.</source>
      <translation>نحن نعيد الاتصال. ابقَ هنا من فضلك: استشارتك محفوظة.
إذا لم يعد الاتصال، تنتهي الجلسة وتُمحى بياناتك.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="61" />
      <source>Check that its cable is plugged in.
The consultation goes on when the device answers again.</source>
      <translation>تأكد من توصيل الكابل الخاص به.
تستمر الاستشارة عندما يستجيب الجهاز مجددًا.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="68" />
      <source>A measuring device is not responding</source>
      <translation>جهاز القياس لا يستجيب</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="70" />
      <source>The printer has a problem</source>
      <translation>الطابعة بها مشكلة</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="70" />
      <source>Your papers could not be printed.
Press “Call staff”: someone will give them to you.</source>
      <translation>تعذرت طباعة أوراقك.
اضغط على «نداء الموظفين»: سيسلمها لك أحدهم.</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/fault.py" line="119" />
      <source>Your papers could not be printed. They are kept for %n minutes: the staff will print them for you.
Press “Call staff”, or if you leave now, ask at the desk.</source>
      <translation>
        <numerusform>تعذرت طباعة أوراقك. ستُحفظ لمدة %n دقيقة: سيطبعها لك الموظفون.
اضغط على «نداء الموظفين»، أو إذا غادرت الآن، اسأل في مكتب الاستقبال.</numerusform>
        <numerusform>تعذرت طباعة أوراقك. ستُحفظ لمدة دقيقة واحدة: سيطبعها لك الموظفون.
اضغط على «نداء الموظفين»، أو إذا غادرت الآن، اسأل في مكتب الاستقبال.</numerusform>
        <numerusform>تعذرت طباعة أوراقك. ستُحفظ لمدة دقيقتين: سيطبعها لك الموظفون.
اضغط على «نداء الموظفين»، أو إذا غادرت الآن، اسأل في مكتب الاستقبال.</numerusform>
        <numerusform>تعذرت طباعة أوراقك. ستُحفظ لمدة %n دقائق: سيطبعها لك الموظفون.
اضغط على «نداء الموظفين»، أو إذا غادرت الآن، اسأل في مكتب الاستقبال.</numerusform>
        <numerusform>تعذرت طباعة أوراقك. ستُحفظ لمدة %n دقيقة: سيطبعها لك الموظفون.
اضغط على «نداء الموظفين»، أو إذا غادرت الآن، اسأل في مكتب الاستقبال.</numerusform>
        <numerusform>تعذرت طباعة أوراقك. ستُحفظ لمدة %n دقيقة: سيطبعها لك الموظفون.
اضغط على «نداء الموظفين»، أو إذا غادرت الآن، اسأل في مكتب الاستقبال.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/fault.py" line="119" />
      <source>Leave without your papers?
Ask at the desk: the staff can print them for you for %n minutes. After that, they are erased.</source>
      <translation>
        <numerusform>هل تغادر بدون أوراقك؟
اسأل في مكتب الاستقبال: يمكن للموظفين طباعتها لك خلال %n دقيقة. بعد ذلك تُمحى.</numerusform>
        <numerusform>هل تغادر بدون أوراقك؟
اسأل في مكتب الاستقبال: يمكن للموظفين طباعتها لك خلال دقيقة واحدة. بعد ذلك تُمحى.</numerusform>
        <numerusform>هل تغادر بدون أوراقك؟
اسأل في مكتب الاستقبال: يمكن للموظفين طباعتها لك خلال دقيقتين. بعد ذلك تُمحى.</numerusform>
        <numerusform>هل تغادر بدون أوراقك؟
اسأل في مكتب الاستقبال: يمكن للموظفين طباعتها لك خلال %n دقائق. بعد ذلك تُمحى.</numerusform>
        <numerusform>هل تغادر بدون أوراقك؟
اسأل في مكتب الاستقبال: يمكن للموظفين طباعتها لك خلال %n دقيقة. بعد ذلك تُمحى.</numerusform>
        <numerusform>هل تغادر بدون أوراقك؟
اسأل في مكتب الاستقبال: يمكن للموظفين طباعتها لك خلال %n دقيقة. بعد ذلك تُمحى.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="140" />
      <source>Leave without your papers?
They could not be printed and will be erased.</source>
      <translation>هل تغادر بدون أوراقك؟
تعذرت طباعتها وستُمحى.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="140" />
      <source>Stay</source>
      <translation>البقاء</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="140" />
      <source>Yes, leave</source>
      <translation>نعم، المغادرة</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="75" />
      <source>Something went wrong</source>
      <translation>حدثت مشكلة</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="75" />
      <source>We are dealing with it. Please call staff if you need help.</source>
      <translation>نحن نعالجها. نادِ الموظفين إذا احتجت إلى مساعدة.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="109" />
      <source>Finish</source>
      <translation>إنهاء</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="117" />
      <source>Enter my booking code instead</source>
      <translation>إدخال رمز موعدي بدلًا من البطاقة</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="28" />
      <source>The blood pressure monitor is not responding</source>
      <translation>مقياس ضغط الدم لا يستجيب</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>The thermometer is not responding</source>
      <translation>ميزان الحرارة لا يستجيب</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="32" />
      <source>The scale is not responding</source>
      <translation>الميزان لا يستجيب</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="34" />
      <source>The pulse oximeter is not responding</source>
      <translation>مقياس الأكسجين في الدم لا يستجيب</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="173" />
      <source>Continue without this measurement</source>
      <translation>المتابعة دون هذا القياس</translation>
    </message>
  </context>
  <context>
    <name>Goodbye</name>
    <message>
      <location filename="../screens/goodbye.py" line="50" />
      <source>Goodbye</source>
      <translation>مع السلامة</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="50" />
      <source>Take your Carte Vitale.</source>
      <translation>خذ بطاقة فيتال.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="44" />
      <source>No consultation without an appointment</source>
      <translation>لا توجد استشارة بدون موعد</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="46" />
      <source>The consultation is over</source>
      <translation>انتهت الاستشارة</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="48" />
      <source>Take your papers.</source>
      <translation>خذ أوراقك.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="50" />
      <source>Take your belongings.</source>
      <translation>خذ أغراضك.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="52" />
      <source>Take your Carte Vitale and your papers.</source>
      <translation>خذ بطاقة فيتال وأوراقك.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="56" />
      <source>Everything about you will now be erased from the cabin.
Take care!</source>
      <translation>سيُمحى الآن كل ما يخصك من المقصورة.
اعتنِ بنفسك!</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="72" />
      <source>I have taken everything</source>
      <translation>أخذت كل شيء</translation>
    </message>
  </context>
  <context>
    <name>Idle</name>
    <message>
      <location filename="../screens/idle.py" line="49" />
      <source>Insert your Carte Vitale</source>
      <translation>أدخل بطاقة فيتال</translation>
    </message>
    <message>
      <location filename="../screens/idle.py" line="51" />
      <source>Chip facing down, into the slot below the screen.
A doctor will see you by video.</source>
      <translation>الشريحة إلى الأسفل، في الفتحة أسفل الشاشة.
سيستقبلك طبيب عبر الفيديو.</translation>
    </message>
    <message>
      <location filename="../screens/idle.py" line="57" />
      <source>To change the language, touch it at the top.</source>
      <translation>لتغيير اللغة، المسها في أعلى الشاشة.</translation>
    </message>
    <message>
      <location filename="../screens/idle.py" line="58" />
      <source>No Carte Vitale? Enter your booking code</source>
      <translation>ليست معك بطاقة فيتال؟ أدخل رمز موعدك</translation>
    </message>
  </context>
  <context>
    <name>InCall</name>
    <message numerus="yes">
      <location filename="../screens/in_call.py" line="93" />
      <source>The consultation will stop in %n seconds.</source>
      <translation>
        <numerusform>ستتوقف الاستشارة بعد %n ثانية.</numerusform>
        <numerusform>ستتوقف الاستشارة بعد ثانية واحدة.</numerusform>
        <numerusform>ستتوقف الاستشارة بعد ثانيتين.</numerusform>
        <numerusform>ستتوقف الاستشارة بعد %n ثوانٍ.</numerusform>
        <numerusform>ستتوقف الاستشارة بعد %n ثانية.</numerusform>
        <numerusform>ستتوقف الاستشارة بعد %n ثانية.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="73" />
      <source>The doctor is speaking</source>
      <translation>الطبيب يتكلم</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="75" />
      <source>You are speaking</source>
      <translation>أنت تتكلم</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Weak connection: the doctor can hear you, the video will come back</source>
      <translation>الاتصال ضعيف: الطبيب يسمعك، وستعود الصورة</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Reconnecting… please stay in front of the screen</source>
      <translation>جارٍ إعادة الاتصال… ابقَ أمام الشاشة</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="81" />
      <source>You are with the doctor</source>
      <translation>أنت مع الطبيب</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="83" />
      <source>The doctor's picture is coming…</source>
      <translation>صورة الطبيب قادمة…</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="84" />
      <source>Your camera</source>
      <translation>الكاميرا الخاصة بك</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Volume: {level} of {top}</source>
      <translation>الصوت: {level} من {top}</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Quieter</source>
      <translation>أخفض</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Louder</source>
      <translation>أعلى</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>I can't hear the doctor</source>
      <translation>لا أسمع الطبيب</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Mute my mic</source>
      <translation>كتم الميكروفون</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Unmute my mic</source>
      <translation>إعادة تشغيل الميكروفون</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Your microphone is off: the doctor cannot hear you.</source>
      <translation>الميكروفون مغلق: الطبيب لا يسمعك.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>The doctor has been told that you cannot hear them.</source>
      <translation>تم إبلاغ الطبيب بأنك لا تسمعه.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>The doctor could not be told. Press Louder, or call the staff.</source>
      <translation>تعذّر إبلاغ الطبيب. اضغط على «أعلى»، أو اطلب الموظفين.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>End the consultation</source>
      <translation>إنهاء الاستشارة</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Do you want to end the consultation now? The doctor will no longer see or hear you.</source>
      <translation>هل تريد إنهاء الاستشارة الآن؟ لن يراك الطبيب ولن يسمعك بعد ذلك.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Yes, end it</source>
      <translation>نعم، إنهاء</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>No, stay with the doctor</source>
      <translation>لا، البقاء مع الطبيب</translation>
    </message>
  </context>
  <context>
    <name>Measuring</name>
    <message>
      <location filename="../screens/measuring.py" line="19" />
      <source>Blood pressure</source>
      <translation>ضغط الدم</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="20" />
      <source>Sit down, back against the chair, both feet on the floor.</source>
      <translation>اجلس، وظهرك على الكرسي، وقدماك على الأرض.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="21" />
      <source>Put the cuff on your LEFT arm, above the elbow.</source>
      <translation>ضع كُفّة جهاز الضغط على ذراعك اليسرى، فوق المرفق.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="22" />
      <source>Rest your arm on the table, palm up.</source>
      <translation>ضع ذراعك على الطاولة، وكفك إلى الأعلى.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="23" />
      <source>Press the start button on the device. Do not move or talk.</source>
      <translation>اضغط على زر البدء في الجهاز. لا تتحرك ولا تتكلم.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="26" />
      <source>Temperature</source>
      <translation>درجة الحرارة</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="27" />
      <source>Take the thermometer from its holder.</source>
      <translation>خذ مقياس الحرارة من حامله.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="28" />
      <source>Point it at the middle of your forehead, close but not touching.</source>
      <translation>وجّهه إلى منتصف جبهتك، قريبًا دون لمس.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="31" />
      <source>Press its button and keep still until it beeps.</source>
      <translation>اضغط على زره وابقَ ثابتًا حتى يصدر صوتًا.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="34" />
      <source>Weight</source>
      <translation>الوزن</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="35" />
      <source>Take off your shoes and your coat.</source>
      <translation>اخلع حذاءك ومعطفك.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="36" />
      <source>Step onto the scale, one foot on each side.</source>
      <translation>قف على الميزان، قدم على كل جانب.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="37" />
      <source>Stand still until the number stops changing.</source>
      <translation>ابقَ ثابتًا حتى يتوقف الرقم عن التغير.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="40" />
      <source>Blood oxygen</source>
      <translation>الأكسجين في الدم</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="41" />
      <source>Put your index finger into the clip, nail on top.</source>
      <translation>ضع إصبع السبابة في المشبك، والظفر إلى الأعلى.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="42" />
      <source>Rest your hand on the table.</source>
      <translation>ضع يدك على الطاولة.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="43" />
      <source>Keep still for about 30 seconds.</source>
      <translation>ابقَ ثابتًا نحو 30 ثانية.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="45" />
      <source>Measurement</source>
      <translation>القياس</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="46" />
      <source>Follow what the doctor tells you.</source>
      <translation>اتبع تعليمات الطبيب.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="89" />
      <source>Measurement: {name}</source>
      <translation>القياس: {name}</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="95" />
      <source>Stop this measurement</source>
      <translation>إيقاف هذا القياس</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="1" />
      <source>The doctor sees and hears you.</source>
      <translation>الطبيب يراك ويسمعك.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="1" />
      <source>The doctor</source>
      <translation>الطبيب</translation>
    </message>
  </context>
  <context>
    <name>Pin</name>
    <message>
      <location filename="../screens/pin.py" line="143" />
      <source>Technician code</source>
      <translation>رمز الفني</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="144" />
      <source>Erase</source>
      <translation>مسح</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="145" />
      <source>OK</source>
      <translation>موافق</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="146" />
      <source>Back</source>
      <translation>رجوع</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="149" />
      <source>Wrong code.</source>
      <translation>رمز خاطئ.</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/pin.py" line="161" />
      <source>Too many wrong codes. Try again in %n seconds.</source>
      <translation>
        <numerusform>رموز خاطئة كثيرة. حاول مرة أخرى بعد %n ثانية.</numerusform>
        <numerusform>رموز خاطئة كثيرة. حاول مرة أخرى بعد ثانية واحدة.</numerusform>
        <numerusform>رموز خاطئة كثيرة. حاول مرة أخرى بعد ثانيتين.</numerusform>
        <numerusform>رموز خاطئة كثيرة. حاول مرة أخرى بعد %n ثوانٍ.</numerusform>
        <numerusform>رموز خاطئة كثيرة. حاول مرة أخرى بعد %n ثانية.</numerusform>
        <numerusform>رموز خاطئة كثيرة. حاول مرة أخرى بعد %n ثانية.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="157" />
      <source>Technician mode is not configured.</source>
      <translation>وضع الفني غير مُعدّ.</translation>
    </message>
  </context>
  <context>
    <name>Printing</name>
    <message>
      <location filename="../screens/printing.py" line="14" />
      <source>Printing your documents…</source>
      <translation>جارٍ طباعة مستنداتك…</translation>
    </message>
    <message>
      <location filename="../screens/printing.py" line="16" />
      <source>Your papers come out of the printer below the screen.
Please wait until they are all printed.</source>
      <translation>تخرج أوراقك من الطابعة أسفل الشاشة.
يرجى الانتظار حتى تُطبع كلها.</translation>
    </message>
  </context>
  <context>
    <name>ReadingCard</name>
    <message>
      <location filename="../screens/reading_card.py" line="14" />
      <source>Reading your card…</source>
      <translation>جارٍ قراءة بطاقتك…</translation>
    </message>
    <message>
      <location filename="../screens/reading_card.py" line="16" />
      <source>Please leave the card in the slot.
This takes a few seconds.</source>
      <translation>اترك البطاقة في الفتحة من فضلك.
يستغرق ذلك بضع ثوانٍ.</translation>
    </message>
  </context>
  <context>
    <name>Readings</name>
    <message>
      <location filename="../readings.py" line="31" />
      <source>Blood pressure</source>
      <translation>ضغط الدم</translation>
    </message>
    <message>
      <location filename="../readings.py" line="32" />
      <source>Cuff pressure</source>
      <translation>ضغط الكُفّة</translation>
    </message>
    <message>
      <location filename="../readings.py" line="51" />
      <location filename="../readings.py" line="33" />
      <source>Temperature</source>
      <translation>درجة الحرارة</translation>
    </message>
    <message>
      <location filename="../readings.py" line="52" />
      <location filename="../readings.py" line="34" />
      <source>Weight</source>
      <translation>الوزن</translation>
    </message>
    <message>
      <location filename="../readings.py" line="35" />
      <source>Body composition</source>
      <translation>تكوين الجسم</translation>
    </message>
    <message>
      <location filename="../readings.py" line="36" />
      <source>Blood oxygen</source>
      <translation>الأكسجين في الدم</translation>
    </message>
    <message>
      <location filename="../readings.py" line="46" />
      <source>Systolic</source>
      <translation>الانقباضي</translation>
    </message>
    <message>
      <location filename="../readings.py" line="47" />
      <source>Diastolic</source>
      <translation>الانبساطي</translation>
    </message>
    <message>
      <location filename="../readings.py" line="48" />
      <source>Mean pressure</source>
      <translation>متوسط الضغط الشرياني</translation>
    </message>
    <message>
      <location filename="../readings.py" line="49" />
      <source>Pulse</source>
      <translation>النبض</translation>
    </message>
    <message>
      <location filename="../readings.py" line="50" />
      <source>Oxygen</source>
      <translation>الأكسجين</translation>
    </message>
    <message>
      <location filename="../readings.py" line="53" />
      <source>Cuff</source>
      <translation>الكُفّة</translation>
    </message>
    <message>
      <location filename="../readings.py" line="54" />
      <source>Body mass index</source>
      <translation>مؤشر كتلة الجسم</translation>
    </message>
    <message>
      <location filename="../readings.py" line="55" />
      <source>Body fat</source>
      <translation>دهون الجسم</translation>
    </message>
    <message>
      <location filename="../readings.py" line="62" />
      <source>the device gave no value</source>
      <translation>لم يعطِ الجهاز أي قيمة</translation>
    </message>
    <message>
      <location filename="../readings.py" line="63" />
      <source>outside what the device can measure</source>
      <translation>خارج ما يستطيع الجهاز قياسه</translation>
    </message>
    <message>
      <location filename="../readings.py" line="64" />
      <source>the signal was too weak</source>
      <translation>كانت الإشارة ضعيفة جدًا</translation>
    </message>
    <message>
      <location filename="../readings.py" line="65" />
      <source>the arm moved during the measurement</source>
      <translation>تحركت الذراع أثناء القياس</translation>
    </message>
    <message>
      <location filename="../readings.py" line="70" />
      <location filename="../readings.py" line="66" />
      <source>the measurement took too long</source>
      <translation>استغرق القياس وقتًا طويلاً</translation>
    </message>
    <message>
      <location filename="../readings.py" line="67" />
      <source>the cuff tube is blocked</source>
      <translation>أنبوب الكُفّة مسدود</translation>
    </message>
    <message>
      <location filename="../readings.py" line="68" />
      <source>the measurement was stopped</source>
      <translation>تم إيقاف القياس</translation>
    </message>
    <message>
      <location filename="../readings.py" line="69" />
      <source>the cuff is loose or leaking</source>
      <translation>الكُفّة غير مشدودة أو يتسرب منها الهواء</translation>
    </message>
    <message>
      <location filename="../readings.py" line="71" />
      <source>the cuff pressure was too high</source>
      <translation>كان ضغط الكُفّة مرتفعًا جدًا</translation>
    </message>
    <message>
      <location filename="../readings.py" line="72" />
      <source>the value was not stable</source>
      <translation>لم تكن القيمة مستقرة</translation>
    </message>
    <message>
      <location filename="../readings.py" line="73" />
      <source>more than the scale can weigh</source>
      <translation>أكثر مما يستطيع الميزان وزنه</translation>
    </message>
    <message>
      <location filename="../readings.py" line="76" />
      <source>device code {code}</source>
      <translation>رمز الجهاز {code}</translation>
    </message>
    <message>
      <location filename="../readings.py" line="131" />
      <source>{name}: {value}</source>
      <translation>{name}: {value}</translation>
    </message>
    <message>
      <location filename="../readings.py" line="137" />
      <source>{name}: no valid measurement ({reason})</source>
      <translation>{name}: لا يوجد قياس صالح ({reason})</translation>
    </message>
    <message>
      <location filename="../readings.py" line="148" />
      <source>Device: {device}</source>
      <translation>الجهاز: {device}</translation>
    </message>
    <message>
      <location filename="../readings.py" line="201" />
      <source>Your measurements</source>
      <translation>قياساتك</translation>
    </message>
    <message>
      <location filename="../readings.py" line="217" />
      <source>Measuring now</source>
      <translation>القياس جارٍ</translation>
    </message>
    <message>
      <location filename="../readings.py" line="231" />
      <source>No measurement yet.</source>
      <translation>لا توجد قياسات بعد.</translation>
    </message>
    <message>
      <location filename="../readings.py" line="150" />
      <source>blood pressure monitor</source>
      <translation>مقياس ضغط الدم</translation>
    </message>
    <message>
      <location filename="../readings.py" line="151" />
      <source>thermometer</source>
      <translation>ميزان الحرارة</translation>
    </message>
    <message>
      <location filename="../readings.py" line="153" />
      <source>scale</source>
      <translation>الميزان</translation>
    </message>
    <message>
      <location filename="../readings.py" line="154" />
      <source>pulse oximeter</source>
      <translation>مقياس الأكسجين في الدم</translation>
    </message>
    <message>
      <location filename="../readings.py" line="159" />
      <source>measuring device</source>
      <translation>جهاز القياس</translation>
    </message>
  </context>
  <context>
    <name>Screen</name>
    <message>
      <location filename="../screens/base.py" line="205" />
      <source>Call staff</source>
      <translation>نداء الموظفين</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="207" />
      <source>More time</source>
      <translation>وقت إضافي</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="244" />
      <source>High contrast</source>
      <translation>تباين عالٍ</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="247" />
      <source>Read aloud</source>
      <translation>القراءة بصوت عالٍ</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/base.py" line="320" />
      <source>This screen will close in %n seconds.</source>
      <translation>
        <numerusform>ستُغلق هذه الشاشة بعد %n ثانية.</numerusform>
        <numerusform>ستُغلق هذه الشاشة بعد ثانية واحدة.</numerusform>
        <numerusform>ستُغلق هذه الشاشة بعد ثانيتين.</numerusform>
        <numerusform>ستُغلق هذه الشاشة بعد %n ثوانٍ.</numerusform>
        <numerusform>ستُغلق هذه الشاشة بعد %n ثانية.</numerusform>
        <numerusform>ستُغلق هذه الشاشة بعد %n ثانية.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="275" />
      <source>Do you need more time?</source>
      <translation>هل تحتاج إلى مزيد من الوقت؟</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="310" />
      <source>The staff has been called. Please stay here: someone will come.</source>
      <translation>تم استدعاء الموظفين. ابقَ هنا من فضلك: سيأتي أحدهم إليك.</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="314" />
      <source>Someone is on their way to help you.</source>
      <translation>أحدهم في طريقه لمساعدتك.</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="316" />
      <source>We could not call the staff from here. Please go to the reception desk, or ask someone nearby.</source>
      <translation>تعذّر استدعاء الموظفين من هنا. توجّه إلى الاستقبال أو اطلب المساعدة من شخص قريب منك.</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="303" />
      <source>This screen is read aloud</source>
      <translation>تُقرأ هذه الشاشة بصوت عالٍ</translation>
    </message>
  </context>
  <context>
    <name>Technician</name>
    <message>
      <location filename="../screens/technician.py" line="162" />
      <source>OK</source>
      <translation>موافق</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="164" />
      <source>FAILED</source>
      <translation>فشل</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="180" />
      <source>Logs of {name}:</source>
      <translation>سجل {name}:</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="181" />
      <source>(no log line)</source>
      <translation>(لا توجد أسطر في السجل)</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="188" />
      <source>No printer is set up in this kiosk.</source>
      <translation>لا توجد طابعة مُعدّة في هذا الكشك.</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="216" />
      <source>Technician mode</source>
      <translation>وضع الفني</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="219" />
      <source>Check</source>
      <translation>الفحص</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="220" />
      <source>Result</source>
      <translation>النتيجة</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="221" />
      <source>Detail</source>
      <translation>التفاصيل</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="225" />
      <source>Cabin {cabin} · version {version}</source>
      <translation>المقصورة {cabin} · الإصدار {version}</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="230" />
      <source>Running the self-tests…</source>
      <translation>جارٍ تشغيل الاختبارات الذاتية…</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/technician.py" line="314" />
      <source>%n of {total} checks failed.</source>
      <translation>
        <numerusform>لم يفشل أي فحص من أصل {total}.</numerusform>
        <numerusform>فشل فحص واحد من أصل {total}.</numerusform>
        <numerusform>فشل فحصان من أصل {total}.</numerusform>
        <numerusform>فشلت %n فحوصات من أصل {total}.</numerusform>
        <numerusform>فشل %n فحصًا من أصل {total}.</numerusform>
        <numerusform>فشل %n فحص من أصل {total}.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="240" />
      <source>Test print: {message}</source>
      <translation>طباعة تجريبية: {message}</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="243" />
      <source>Run the self-tests</source>
      <translation>تشغيل الاختبارات الذاتية</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="244" />
      <source>Print a test page</source>
      <translation>طباعة صفحة تجريبية</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="245" />
      <source>Back to the patient screen</source>
      <translation>العودة إلى شاشة المريض</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="246" />
      <source>Exit to the desktop</source>
      <translation>الخروج إلى سطح المكتب</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="211" />
      <source>What to do: {hint}</source>
      <translation>ما العمل: {hint}</translation>
    </message>
  </context>
  <context>
    <name>WaitingRoom</name>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Yes, I'm here</source>
      <translation>نعم، أنا هنا</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Keep waiting</source>
      <translation>مواصلة الانتظار</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>How to book a consultation</source>
      <translation>كيفية حجز موعد</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>We are sorry</source>
      <translation>نعتذر منك</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>The cabin is closed at this hour: no doctor can see you now.</source>
      <translation>المقصورة مغلقة في هذه الساعة: لا يمكن لأي طبيب استقبالك الآن.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>No doctor is on duty right now.</source>
      <translation>لا يوجد طبيب متاح في الوقت الحالي.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>The doctor has not come yet: the wait is longer than expected.</source>
      <translation>لم يحضر الطبيب بعد: الانتظار أطول من المتوقع.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>You can keep waiting: you keep your place in the queue. You can also call the staff, or book a consultation.</source>
      <translation>يمكنك مواصلة الانتظار: تحتفظ بترتيبك في الطابور. يمكنك أيضًا نداء الموظفين أو حجز موعد.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Ask the staff at the desk, or book a consultation at {site}.</source>
      <translation>اسأل الموظفين في الاستقبال، أو احجز موعدًا على {site}.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Ask the staff at the desk to book a consultation.</source>
      <translation>اطلب من الموظفين في الاستقبال حجز موعد لك.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Are you still there?</source>
      <translation>هل ما زلت هنا؟</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/waiting_room.py" line="102" />
      <source>Without an answer, you will leave the queue in %n seconds.</source>
      <translation>
        <numerusform>إن لم تُجب، ستغادر قائمة الانتظار بعد %n ثانية.</numerusform>
        <numerusform>إن لم تُجب، ستغادر قائمة الانتظار بعد ثانية واحدة.</numerusform>
        <numerusform>إن لم تُجب، ستغادر قائمة الانتظار بعد ثانيتين.</numerusform>
        <numerusform>إن لم تُجب، ستغادر قائمة الانتظار بعد %n ثوانٍ.</numerusform>
        <numerusform>إن لم تُجب، ستغادر قائمة الانتظار بعد %n ثانية.</numerusform>
        <numerusform>إن لم تُجب، ستغادر قائمة الانتظار بعد %n ثانية.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="58" />
      <location filename="../screens/goodbye.py" line="65" />
      <location filename="../screens/booking_code.py" line="287" />
      <source>This cabin sees patients with an appointment only. Book at {site} or ask the staff at the desk.</source>
      <translation>هذه المقصورة تستقبل المرضى بموعد فقط. احجز موعدًا على {site} أو اسأل في الاستقبال.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="63" />
      <location filename="../screens/goodbye.py" line="69" />
      <location filename="../screens/booking_code.py" line="292" />
      <source>the booking site</source>
      <translation>موقع حجز المواعيد</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="53" />
      <source>Your appointment is at {time}. Patients with an appointment are seen first.</source>
      <translation>موعدك في الساعة {time}. يُستقبل المرضى الذين لديهم موعد أولاً.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="76" />
      <source>You are next.</source>
      <translation>أنت التالي.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="79" />
      <source>Your place in the queue: {n}.</source>
      <translation>ترتيبك في الطابور: {n}.</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/waiting_room.py" line="92" />
      <source>Expected wait: about %n minutes.</source>
      <translation>
        <numerusform>الانتظار المتوقع: حوالي %n دقيقة.</numerusform>
        <numerusform>الانتظار المتوقع: حوالي دقيقة واحدة.</numerusform>
        <numerusform>الانتظار المتوقع: حوالي دقيقتين.</numerusform>
        <numerusform>الانتظار المتوقع: حوالي %n دقائق.</numerusform>
        <numerusform>الانتظار المتوقع: حوالي %n دقيقة.</numerusform>
        <numerusform>الانتظار المتوقع: حوالي %n دقيقة.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="92" />
      <source>A doctor will see you soon</source>
      <translation>سيستقبلك طبيب قريبًا</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="94" />
      <source>Please stay seated. The doctor will appear on this screen.</source>
      <translation>ابقَ جالسًا من فضلك. سيظهر الطبيب على هذه الشاشة.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="99" />
      <source>While you wait, please get ready:</source>
      <translation>أثناء الانتظار، جهّز من فضلك:</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="100" />
      <source>an identity document (ID card, passport)</source>
      <translation>وثيقة هوية (بطاقة هوية، جواز سفر)</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="101" />
      <source>your medicines or your last prescription</source>
      <translation>أدويتك أو آخر وصفة طبية لك</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="102" />
      <source>your glasses, if you need them</source>
      <translation>نظارتك، إذا كنت تحتاجها</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="107" />
      <source>Sick note: after a video consultation, time off work is limited to 3 days, unless the doctor is your declared GP (médecin traitant).</source>
      <translation>الإجازة المرضية: بعد استشارة بالفيديو، تقتصر على 3 أيام، إلا إذا كان الطبيب طبيبك المعالج المُصرَّح به.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="113" />
      <source>Leave without a consultation</source>
      <translation>المغادرة دون استشارة</translation>
    </message>
  </context>
  <context>
    <name>Wiping</name>
    <message>
      <location filename="../screens/wiping.py" line="14" />
      <source>Erasing the consultation's data…</source>
      <translation>جارٍ مسح بيانات الاستشارة…</translation>
    </message>
    <message>
      <location filename="../screens/wiping.py" line="15" />
      <source>Nothing about you stays in the cabin.</source>
      <translation>لا يبقى أي شيء عنك في المقصورة.</translation>
    </message>
  </context>
  <context>
    <name>Chat</name>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>Yes</source>
      <translation>نعم</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>No</source>
      <translation>لا</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>I can't hear</source>
      <translation>لا أسمع</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>Please repeat</source>
      <translation>أعد من فضلك</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>The doctor writes to you:</source>
      <translation>الطبيب يكتب لك:</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>You answered: {answer}</source>
      <translation>أجبت: {answer}</translation>
    </message>
  </context>
  <context>
    <name>Nurse</name>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Nurse</source>
      <translation>ممرض/ممرضة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Doctor</source>
      <translation>طبيب/طبيبة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Midwife</source>
      <translation>قابلة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Pharmacist</source>
      <translation>صيدلي/صيدلانية</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Other health professional</source>
      <translation>مهني صحي آخر</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>RPPS number</source>
      <translation>رقم RPPS</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>First and last name</source>
      <translation>الاسم واللقب</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Profession</source>
      <translation>المهنة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>11 digits</source>
      <translation>11 رقمًا</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Sign in for the shift</source>
      <translation>تسجيل الدخول للمناوبة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Sign out</source>
      <translation>تسجيل الخروج</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Patient without a card</source>
      <translation>مريض بدون بطاقة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Devices</source>
      <translation>الأجهزة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Continue to the consent</source>
      <translation>المتابعة إلى الموافقة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Back</source>
      <translation>رجوع</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Where the patient is seen</source>
      <translation>مكان الاستشارة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type your RPPS number, your name and your profession. They are kept until you sign out or the day ends.</source>
      <translation>أدخل رقم RPPS واسمك ومهنتك. تُحفظ حتى تسجيل خروجك أو نهاية اليوم.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type the identity from the patient's ID document, in any alphabet.</source>
      <translation>أدخل الهوية كما في وثيقة هوية المريض، بأي أبجدية.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Next patient</source>
      <translation>المريض التالي</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Assisting: {name}, {profession}, RPPS {rpps}</source>
      <translation>في الخدمة: {name}، {profession}، RPPS {rpps}</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Insert the patient's Carte Vitale in the reader.</source>
      <translation>أدخل بطاقة Vitale الخاصة بالمريض في القارئ.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>CPS recognised — reading it needs its PIN code: type your RPPS number. This version does not ask for the PIN, so the card's data is not read.</source>
      <translation>تم التعرف على بطاقة CPS — قراءتها تتطلب رمز PIN: أدخل رقم RPPS الخاص بك. هذه النسخة لا تطلب رمز PIN، لذلك لا تُقرأ بيانات البطاقة.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This is a health professional card (CPS), not a Carte Vitale. Remove it and insert the patient's Carte Vitale.</source>
      <translation>هذه بطاقة مهني صحي (CPS) وليست بطاقة Vitale. اسحبها وأدخل بطاقة Vitale الخاصة بالمريض.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This is a Carte Vitale: the patient's card comes after you sign in. Remove it, then sign in with your RPPS number.</source>
      <translation>هذه بطاقة Vitale: بطاقة المريض تأتي بعد تسجيل دخولك. اسحبها، ثم سجّل الدخول برقم RPPS الخاص بك.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This card is neither a Carte Vitale nor a CPS, or it cannot be read.</source>
      <translation>هذه البطاقة ليست بطاقة Vitale ولا بطاقة CPS، أو لا يمكن قراءتها.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>The day is over: sign in again for today's shift.</source>
      <translation>انتهى اليوم: سجّل الدخول من جديد لمناوبة اليوم.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>The RPPS number has 11 digits.</source>
      <translation>يتكون رقم RPPS من 11 رقمًا.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This RPPS number is not valid (its last digit does not match): check it.</source>
      <translation>رقم RPPS هذا غير صالح (رقمه الأخير لا يتطابق): تحقق منه.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type your name.</source>
      <translation>أدخل اسمك.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>A name has letters only (and spaces, hyphens, apostrophes).</source>
      <translation>يتكون الاسم من حروف فقط (ومسافات وشرطات وفواصل عليا).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This is not possible now: try again in a moment.</source>
      <translation>هذا غير ممكن الآن: حاول مجددًا بعد قليل.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Health centre</source>
      <translation>مركز صحي</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Patient's home</source>
      <translation>منزل المريض</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Other place</source>
      <translation>مكان آخر</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type the patient's last name (letters only).</source>
      <translation>أدخل لقب المريض (حروف فقط).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type the patient's first name (letters only).</source>
      <translation>أدخل اسم المريض (حروف فقط).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>The birth date is a real date, as {pattern} (for example {example}).</source>
      <translation>تاريخ الميلاد تاريخ حقيقي بصيغة {pattern} (مثلًا {example}).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>DD/MM/YYYY</source>
      <translation>DD/MM/YYYY</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Choose the patient's sex.</source>
      <translation>اختر جنس المريض.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Last name</source>
      <translation>اللقب</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>First name</source>
      <translation>الاسم</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Birth date</source>
      <translation>تاريخ الميلاد</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Sex</source>
      <translation>الجنس</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Choose…</source>
      <translation>اختر…</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Female</source>
      <translation>أنثى</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Male</source>
      <translation>ذكر</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Your answer is recorded with {name} ({profession}) present.</source>
      <translation>تُسجَّل إجابتك بحضور {name} ({profession}).</translation>
    </message>
  </context>
  <context>
    <name>ExamGuide</name>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Put the otoscope gently into your left ear</source>
      <translation>ضع منظار الأذن برفق في أذنك اليسرى</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Put the otoscope gently into your right ear</source>
      <translation>ضع منظار الأذن برفق في أذنك اليمنى</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Open your mouth wide, the camera in front of it</source>
      <translation>افتح فمك جيدًا، والكاميرا أمامه</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Hold the camera close to the skin the doctor wants to see</source>
      <translation>أمسك الكاميرا قريبة من الجلد الذي يريد الطبيب رؤيته</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Place the stethoscope on point {n}</source>
      <translation>ضع السماعة الطبية على النقطة {n}</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Place the stethoscope on point {n}, on the chest</source>
      <translation>ضع السماعة الطبية على النقطة {n}، على الصدر</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Place the stethoscope on point {n}, on the back</source>
      <translation>ضع السماعة الطبية على النقطة {n}، على الظهر</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>A little higher</source>
      <translation>أعلى قليلًا</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>A little lower</source>
      <translation>أسفل قليلًا</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Hold still</source>
      <translation>لا تتحرك</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Breathe in deeply</source>
      <translation>تنفّس بعمق</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Cough</source>
      <translation>اسعل</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Hold your breath</source>
      <translation>احبس أنفاسك</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>That's it, thank you</source>
      <translation>انتهينا، شكرًا</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The doctor is listening: the loudspeaker is off</source>
      <translation>الطبيب يستمع: مكبّر الصوت مطفأ</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The exam camera is off</source>
      <translation>كاميرا الفحص مطفأة</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The exam camera is not responding: the doctor has been told</source>
      <translation>كاميرا الفحص لا تستجيب: تم إبلاغ الطبيب</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The stethoscope is not responding: the doctor has been told</source>
      <translation>السماعة الطبية لا تستجيب: تم إبلاغ الطبيب</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>What the doctor sees</source>
      <translation>ما يراه الطبيب</translation>
    </message>
  </context>
  <context>
    <name>Pairing</name>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Blood pressure monitor</source>
      <translation>جهاز قياس ضغط الدم</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Thermometer</source>
      <translation>ميزان الحرارة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Scale</source>
      <translation>الميزان</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Pulse oximeter</source>
      <translation>مقياس التأكسج</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Other device</source>
      <translation>جهاز آخر</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>This cuff is paired with another device (a phone?): erase its pairing (see its manual), then try again.</source>
      <translation>هذا الكُمّ مقترن بجهاز آخر (هاتف؟): امسح اقترانه (راجع دليله)، ثم أعد المحاولة.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>The device is no longer seen: switch it on, bring it closer, search again.</source>
      <translation>لم يعد الجهاز ظاهرًا: شغّله وقرّبه ثم أعد البحث.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>The device did not answer in time: try again.</source>
      <translation>لم يستجب الجهاز في الوقت المحدد: أعد المحاولة.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>This did not work: try again. If it goes on, call support.</source>
      <translation>لم تنجح العملية: أعد المحاولة. إذا تكرر ذلك، اتصل بالدعم.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Paired</source>
      <translation>مقترن</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Battery {level}</source>
      <translation>البطارية {level}</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Last reading at {time}</source>
      <translation>آخر قياس في {time}</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Search</source>
      <translation>بحث</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Pair</source>
      <translation>إقران</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Forget</source>
      <translation>إزالة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Searching… switch the device on.</source>
      <translation>جارٍ البحث… شغّل الجهاز.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Please wait…</source>
      <translation>يرجى الانتظار…</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Devices found: {count}. Choose one.</source>
      <translation>الأجهزة التي عُثر عليها: {count}. اختر واحدًا.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>No device found: switch it on and search again.</source>
      <translation>لم يُعثر على أي جهاز: شغّله وأعد البحث.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>The kit's devices</source>
      <translation>أجهزة الحقيبة</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Switch the device on and put it in pairing mode (see its manual), then search.</source>
      <translation>شغّل الجهاز وضعه في وضع الإقران (راجع دليله)، ثم ابحث.</translation>
    </message>
  </context>
  <context>
    <name>DoctorChoice</name>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>available</source>
      <translation>متاح</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>in a consultation</source>
      <translation>في استشارة</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>not connected</source>
      <translation>غير متصل</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Which doctor do you call?</source>
      <translation>أي طبيب تريد أن تتصل به؟</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>This doctor cannot be called (no longer registered). Choose another one, or join the waiting room.</source>
      <translation>لا يمكن الاتصال بهذا الطبيب (لم يعد مسجلاً). اختر طبيبًا آخر، أو انضم إلى غرفة الانتظار.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>The list of doctors could not be loaded. Try again, or join the waiting room.</source>
      <translation>تعذّر تحميل قائمة الأطباء. أعد المحاولة، أو انضم إلى غرفة الانتظار.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Loading the list of doctors…</source>
      <translation>جارٍ تحميل قائمة الأطباء…</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Choose the doctor to call, or join the waiting room: the first doctor free will see the patient.</source>
      <translation>اختر الطبيب الذي تريد الاتصال به، أو انضم إلى غرفة الانتظار: سيستقبل المريضَ أولُ طبيب متاح.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Waiting for {name}</source>
      <translation>في انتظار {name}</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>{name} is not connected right now. You can keep waiting, or join the waiting room: any doctor on duty can then see the patient.</source>
      <translation>{name} غير متصل حاليًا. يمكنك مواصلة الانتظار، أو الانضمام إلى غرفة الانتظار: عندها يمكن لأي طبيب مناوب أن يرى المريض.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>{name} is in a consultation and will see the patient after it. Please stay seated.</source>
      <translation>{name} في استشارة وسيرى المريض بعدها. يرجى البقاء جالسًا.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>{name} sees the patient first in their list. Please stay seated: they will appear on this screen.</source>
      <translation>المريض في أول قائمة {name}. يرجى البقاء جالسًا: سيظهر الطبيب على هذه الشاشة.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Try again</source>
      <translation>إعادة المحاولة</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Join the waiting room</source>
      <translation>الانضمام إلى غرفة الانتظار</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Join the waiting room instead</source>
      <translation>الانضمام إلى غرفة الانتظار بدلاً من ذلك</translation>
    </message>
  </context>
</TS>
