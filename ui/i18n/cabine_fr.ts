<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
  <context>
    <name>BookingCode</name>
    <message>
      <location filename="../screens/booking_code.py" line="242" />
      <source>Enter your booking code</source>
      <translation>Tapez votre code de rendez-vous</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="245" />
      <source>It is in the SMS confirming your appointment: 6 letters and numbers.</source>
      <translation>Il se trouve dans le SMS qui confirme votre rendez-vous : 6 lettres et chiffres.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="250" />
      <source>Check my code</source>
      <translation>Vérifier mon code</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="251" />
      <source>Erase</source>
      <translation>Effacer</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="252" />
      <source>Leave</source>
      <translation>Quitter</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="253" />
      <source>Wait without an appointment</source>
      <translation>Attendre sans rendez-vous</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="255" />
      <source>You can also insert your Carte Vitale at any time.</source>
      <translation>Vous pouvez aussi insérer votre carte Vitale à tout moment.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="264" />
      <source>Checking your code…</source>
      <translation>Vérification de votre code…</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="266" />
      <source>This code was not found. Check the SMS you received and try again.</source>
      <translation>Ce code est introuvable. Vérifiez le SMS que vous avez reçu et réessayez.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="271" />
      <source>Too many tries. Please insert your Carte Vitale, or call the staff.</source>
      <translation>Trop d'essais. Insérez votre carte Vitale, ou appelez le personnel.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="276" />
      <source>Your code cannot be checked right now. Try again in a moment, or call the staff.</source>
      <translation>Votre code ne peut pas être vérifié pour le moment. Réessayez dans un instant, ou appelez le personnel.</translation>
    </message>
  </context>
  <context>
    <name>Cleaning</name>
    <message>
      <location filename="../screens/cleaning.py" line="21" />
      <source>The cabin is being cleaned</source>
      <translation>La cabine est en cours de nettoyage</translation>
    </message>
    <message>
      <location filename="../screens/cleaning.py" line="23" />
      <source>Please wait a moment.
The next person can come in soon.</source>
      <translation>Merci de patienter un instant.
La personne suivante pourra bientôt entrer.</translation>
    </message>
    <message>
      <location filename="../screens/cleaning.py" line="25" />
      <source>Staff only: cleaning done</source>
      <translation>Réservé au personnel : nettoyage fait</translation>
    </message>
  </context>
  <context>
    <name>ConfirmIdentity</name>
    <message>
      <location filename="../screens/confirm_identity.py" line="25" />
      <location filename="../screens/confirm_identity.py" line="23" />
      <source>born in {date}</source>
      <translation>né(e) en {date}</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="26" />
      <source>born on {date}</source>
      <translation>né(e) le {date}</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="45" />
      <source>Who is seeing the doctor today?</source>
      <translation>Qui consulte le médecin aujourd'hui ?</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="46" />
      <source>Touch your name.</source>
      <translation>Touchez votre nom.</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="47" />
      <source>None of these people</source>
      <translation>Aucune de ces personnes</translation>
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
      <translation>Avant la consultation vidéo</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="27" />
      <source>You will talk with a doctor by video.</source>
      <translation>Vous allez parler à un médecin par vidéo.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="29" />
      <source>The doctor sees your name, your date of birth, your social security number and your measurements.</source>
      <translation>Le médecin voit votre nom, votre date de naissance, votre numéro de sécurité sociale et vos mesures.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="35" />
      <source>Nothing about you stays in the cabin after you leave.</source>
      <translation>Rien sur vous ne reste dans la cabine après votre départ.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="36" />
      <source>You can stop at any time.</source>
      <translation>Vous pouvez arrêter à tout moment.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="40" />
      <source>Yes, I agree</source>
      <translation>Oui, j'accepte</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="41" />
      <source>No, stop here</source>
      <translation>Non, j'arrête</translation>
    </message>
  </context>
  <context>
    <name>Emergency</name>
    <message>
      <location filename="../screens/idle.py" line="67" />
      <source>Not for emergencies: in an emergency, call 15 or 112.</source>
      <translation>Pas pour les urgences : en cas d'urgence, appelez le 15 ou le 112.</translation>
    </message>
  </context>
  <context>
    <name>Fault</name>
    <message>
      <location filename="../screens/fault.py" line="13" />
      <source>This Carte Vitale is an old model that this cabin cannot read.
Your health insurance fund (ameli.fr) can give you a new one.</source>
      <translation>Cette carte Vitale est un ancien modèle, que cette cabine ne peut pas lire.
Votre caisse d'Assurance Maladie (ameli.fr) peut vous en donner une nouvelle.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="13" />
      <source>The information on this card could not be read.
If it happens again, your health insurance fund (ameli.fr) can replace the card.</source>
      <translation>Les informations de cette carte n'ont pas pu être lues.
Si cela se reproduit, votre caisse d'Assurance Maladie (ameli.fr) peut remplacer la carte.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="13" />
      <source>Take this card out, then put in a Carte Vitale to try again.
Or press “Finish” to leave.</source>
      <translation>Retirez cette carte, puis introduisez une carte Vitale pour réessayer.
Ou appuyez sur « Terminer » pour partir.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>The doctor has ended the consultation</source>
      <translation>Le médecin a terminé la consultation</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>Press “Finish” to leave.</source>
      <translation>Appuyez sur « Terminer » pour partir.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>The consultation has ended.
Press “Finish”: your papers will be printed, then everything about you is erased.</source>
      <translation>La consultation est terminée.
Appuyez sur « Terminer » : vos papiers vont être imprimés, puis tout ce qui vous concerne sera effacé.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="14" />
      <source>This card is not a Carte Vitale.</source>
      <translation>Cette carte n'est pas une carte Vitale.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="20" />
      <source>No one is registered on this card.</source>
      <translation>Personne n'est inscrit sur cette carte.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="21" />
      <source>Check that the chip is facing down and clean.</source>
      <translation>Vérifiez que la puce est vers le bas et propre.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="27" />
      <source>Your card was taken out</source>
      <translation>Votre carte a été retirée</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="27" />
      <source>To go on, put your Carte Vitale back into the slot.
Or press “Finish”: the session ends and your data is erased.</source>
      <translation>Pour continuer, remettez votre carte Vitale dans la fente.
Ou appuyez sur « Terminer » : la séance s'arrête et vos données sont effacées.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="33" />
      <source>We could not read your card</source>
      <translation>Nous n'avons pas pu lire votre carte</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="36" />
      <source>Take the card out and put it back in to try again.
Or press “Finish” to leave.</source>
      <translation>Retirez la carte puis remettez-la pour réessayer.
Ou appuyez sur « Terminer » pour partir.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="45" />
      <source>The connection with the doctor could not be restored</source>
      <translation>La liaison avec le médecin n'a pas pu être rétablie</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="46" />
      <source>The consultation has ended. Nothing was kept: your data is erased.
To book a new consultation, use the booking website or ask the staff at the desk.
Press “Finish” to leave.</source>
      <translation>La consultation est terminée. Rien n'a été conservé : vos données sont effacées.
Pour reprendre rendez-vous, utilisez le site de prise de rendez-vous ou demandez au personnel de l'accueil.
Appuyez sur « Terminer » pour partir.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="55" />
      <source>The connection to the doctor was lost</source>
      <translation>La liaison avec le médecin est coupée</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="55" />
      <source>We are reconnecting. Please stay here: your consultation is kept.
If it does not come back, the session ends and your data is erased.</source>
      <translation>Nous rétablissons la liaison. Restez ici : votre consultation est conservée.
Si elle ne revient pas, la séance s'arrête et vos données sont effacées.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="61" />
      <source>Check that its cable is plugged in.
The consultation goes on when the device answers again.</source>
      <translation>Vérifiez que son câble est bien branché.
La consultation reprend dès que l'appareil répond.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="68" />
      <source>A measuring device is not responding</source>
      <translation>Un appareil de mesure ne répond pas</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="70" />
      <source>The printer has a problem</source>
      <translation>L'imprimante a un problème</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="70" />
      <source>Your papers could not be printed.
Press “Call staff”: someone will give them to you.</source>
      <translation>Vos papiers n'ont pas pu être imprimés.
Appuyez sur « Appeler le personnel » : quelqu'un vous les remettra.</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/fault.py" line="119" />
      <source>Your papers could not be printed. They are kept for %n minutes: the staff will print them for you.
Press “Call staff”, or if you leave now, ask at the desk.</source>
      <translation>
        <numerusform>Vos papiers n'ont pas pu être imprimés. Ils sont conservés %n minute : le personnel vous les imprimera.
Appuyez sur « Appeler le personnel », ou si vous partez maintenant, demandez à l'accueil.</numerusform>
        <numerusform>Vos papiers n'ont pas pu être imprimés. Ils sont conservés %n minutes : le personnel vous les imprimera.
Appuyez sur « Appeler le personnel », ou si vous partez maintenant, demandez à l'accueil.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/fault.py" line="119" />
      <source>Leave without your papers?
Ask at the desk: the staff can print them for you for %n minutes. After that, they are erased.</source>
      <translation>
        <numerusform>Partir sans vos papiers ?
Demandez à l'accueil : le personnel peut vous les imprimer pendant %n minute. Ensuite, ils sont effacés.</numerusform>
        <numerusform>Partir sans vos papiers ?
Demandez à l'accueil : le personnel peut vous les imprimer pendant %n minutes. Ensuite, ils sont effacés.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="140" />
      <source>Leave without your papers?
They could not be printed and will be erased.</source>
      <translation>Partir sans vos papiers ?
Ils n'ont pas pu être imprimés et seront effacés.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="140" />
      <source>Stay</source>
      <translation>Rester</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="140" />
      <source>Yes, leave</source>
      <translation>Oui, partir</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="75" />
      <source>Something went wrong</source>
      <translation>Un problème est survenu</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="75" />
      <source>We are dealing with it. Please call staff if you need help.</source>
      <translation>Nous nous en occupons. Appelez le personnel si vous avez besoin d'aide.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="109" />
      <source>Finish</source>
      <translation>Terminer</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="117" />
      <source>Enter my booking code instead</source>
      <translation>Utiliser mon code de rendez-vous</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="28" />
      <source>The blood pressure monitor is not responding</source>
      <translation>Le tensiomètre ne répond pas</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>The thermometer is not responding</source>
      <translation>Le thermomètre ne répond pas</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="32" />
      <source>The scale is not responding</source>
      <translation>La balance ne répond pas</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="34" />
      <source>The pulse oximeter is not responding</source>
      <translation>L'oxymètre ne répond pas</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="173" />
      <source>Continue without this measurement</source>
      <translation>Continuer sans cette mesure</translation>
    </message>
  </context>
  <context>
    <name>Goodbye</name>
    <message>
      <location filename="../screens/goodbye.py" line="50" />
      <source>Goodbye</source>
      <translation>Au revoir</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="50" />
      <source>Take your Carte Vitale.</source>
      <translation>Reprenez votre carte Vitale.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="44" />
      <source>No consultation without an appointment</source>
      <translation>Pas de consultation sans rendez-vous</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="46" />
      <source>The consultation is over</source>
      <translation>La consultation est terminée</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="48" />
      <source>Take your papers.</source>
      <translation>Reprenez vos papiers.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="50" />
      <source>Take your belongings.</source>
      <translation>Reprenez vos affaires.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="52" />
      <source>Take your Carte Vitale and your papers.</source>
      <translation>Reprenez votre carte Vitale et vos papiers.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="56" />
      <source>Everything about you will now be erased from the cabin.
Take care!</source>
      <translation>Tout ce qui vous concerne va être effacé de la cabine.
Prenez soin de vous !</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="72" />
      <source>I have taken everything</source>
      <translation>J'ai tout repris</translation>
    </message>
  </context>
  <context>
    <name>Idle</name>
    <message>
      <location filename="../screens/idle.py" line="49" />
      <source>Insert your Carte Vitale</source>
      <translation>Insérez votre carte Vitale</translation>
    </message>
    <message>
      <location filename="../screens/idle.py" line="51" />
      <source>Chip facing down, into the slot below the screen.
A doctor will see you by video.</source>
      <translation>La puce vers le bas, dans la fente sous l'écran.
Un médecin vous recevra en vidéo.</translation>
    </message>
    <message>
      <location filename="../screens/idle.py" line="57" />
      <source>To change the language, touch it at the top.</source>
      <translation>Pour changer de langue, touchez-la en haut de l'écran.</translation>
    </message>
    <message>
      <location filename="../screens/idle.py" line="58" />
      <source>No Carte Vitale? Enter your booking code</source>
      <translation>Pas de carte Vitale ? Tapez votre code de rendez-vous</translation>
    </message>
  </context>
  <context>
    <name>InCall</name>
    <message numerus="yes">
      <location filename="../screens/in_call.py" line="93" />
      <source>The consultation will stop in %n seconds.</source>
      <translation>
        <numerusform>La consultation s'arrêtera dans %n seconde.</numerusform>
        <numerusform>La consultation s'arrêtera dans %n secondes.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="73" />
      <source>The doctor is speaking</source>
      <translation>Le médecin parle</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="75" />
      <source>You are speaking</source>
      <translation>Vous parlez</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Weak connection: the doctor can hear you, the video will come back</source>
      <translation>Connexion faible : le médecin vous entend, la vidéo reviendra</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Reconnecting… please stay in front of the screen</source>
      <translation>Reconnexion en cours… restez devant l'écran</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="81" />
      <source>You are with the doctor</source>
      <translation>Vous êtes avec le médecin</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="83" />
      <source>The doctor's picture is coming…</source>
      <translation>L'image du médecin arrive…</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="84" />
      <source>Your camera</source>
      <translation>Votre caméra</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Volume: {level} of {top}</source>
      <translation>Volume : {level} sur {top}</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Quieter</source>
      <translation>Moins fort</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Louder</source>
      <translation>Plus fort</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>I can't hear the doctor</source>
      <translation>Je n'entends pas le médecin</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Mute my mic</source>
      <translation>Couper mon micro</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Unmute my mic</source>
      <translation>Rallumer mon micro</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Your microphone is off: the doctor cannot hear you.</source>
      <translation>Votre micro est coupé : le médecin ne vous entend pas.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>The doctor has been told that you cannot hear them.</source>
      <translation>Le médecin a été prévenu que vous ne l'entendez pas.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>The doctor could not be told. Press Louder, or call the staff.</source>
      <translation>Le médecin n'a pas pu être prévenu. Appuyez sur « Plus fort », ou appelez le personnel.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>End the consultation</source>
      <translation>Terminer la consultation</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Do you want to end the consultation now? The doctor will no longer see or hear you.</source>
      <translation>Voulez-vous terminer la consultation maintenant ? Le médecin ne vous verra et ne vous entendra plus.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Yes, end it</source>
      <translation>Oui, terminer</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>No, stay with the doctor</source>
      <translation>Non, rester avec le médecin</translation>
    </message>
  </context>
  <context>
    <name>Measuring</name>
    <message>
      <location filename="../screens/measuring.py" line="19" />
      <source>Blood pressure</source>
      <translation>Tension artérielle</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="20" />
      <source>Sit down, back against the chair, both feet on the floor.</source>
      <translation>Asseyez-vous, le dos contre le dossier, les deux pieds au sol.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="21" />
      <source>Put the cuff on your LEFT arm, above the elbow.</source>
      <translation>Mettez le brassard sur votre bras GAUCHE, au-dessus du coude.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="22" />
      <source>Rest your arm on the table, palm up.</source>
      <translation>Posez le bras sur la table, paume vers le haut.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="23" />
      <source>Press the start button on the device. Do not move or talk.</source>
      <translation>Appuyez sur le bouton de départ de l'appareil. Ne bougez pas, ne parlez pas.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="26" />
      <source>Temperature</source>
      <translation>Température</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="27" />
      <source>Take the thermometer from its holder.</source>
      <translation>Prenez le thermomètre sur son support.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="28" />
      <source>Point it at the middle of your forehead, close but not touching.</source>
      <translation>Visez le milieu du front, tout près mais sans toucher.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="31" />
      <source>Press its button and keep still until it beeps.</source>
      <translation>Appuyez sur son bouton et ne bougez plus jusqu'au bip.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="34" />
      <source>Weight</source>
      <translation>Poids</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="35" />
      <source>Take off your shoes and your coat.</source>
      <translation>Retirez vos chaussures et votre manteau.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="36" />
      <source>Step onto the scale, one foot on each side.</source>
      <translation>Montez sur la balance, un pied de chaque côté.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="37" />
      <source>Stand still until the number stops changing.</source>
      <translation>Restez immobile jusqu'à ce que le nombre ne bouge plus.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="40" />
      <source>Blood oxygen</source>
      <translation>Oxygène dans le sang</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="41" />
      <source>Put your index finger into the clip, nail on top.</source>
      <translation>Mettez l'index dans la pince, l'ongle vers le haut.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="42" />
      <source>Rest your hand on the table.</source>
      <translation>Posez la main sur la table.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="43" />
      <source>Keep still for about 30 seconds.</source>
      <translation>Ne bougez pas pendant environ 30 secondes.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="45" />
      <source>Measurement</source>
      <translation>Mesure</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="46" />
      <source>Follow what the doctor tells you.</source>
      <translation>Suivez les indications du médecin.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="89" />
      <source>Measurement: {name}</source>
      <translation>Mesure : {name}</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="95" />
      <source>Stop this measurement</source>
      <translation>Arrêter cette mesure</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="1" />
      <source>The doctor sees and hears you.</source>
      <translation>Le médecin vous voit et vous entend.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="1" />
      <source>The doctor</source>
      <translation>Le médecin</translation>
    </message>
  </context>
  <context>
    <name>Pin</name>
    <message>
      <location filename="../screens/pin.py" line="143" />
      <source>Technician code</source>
      <translation>Code technicien</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="144" />
      <source>Erase</source>
      <translation>Effacer</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="145" />
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="146" />
      <source>Back</source>
      <translation>Retour</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="149" />
      <source>Wrong code.</source>
      <translation>Code incorrect.</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/pin.py" line="161" />
      <source>Too many wrong codes. Try again in %n seconds.</source>
      <translation>
        <numerusform>Trop de codes incorrects. Réessayez dans %n seconde.</numerusform>
        <numerusform>Trop de codes incorrects. Réessayez dans %n secondes.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="157" />
      <source>Technician mode is not configured.</source>
      <translation>Le mode technicien n'est pas configuré.</translation>
    </message>
  </context>
  <context>
    <name>Printing</name>
    <message>
      <location filename="../screens/printing.py" line="14" />
      <source>Printing your documents…</source>
      <translation>Impression de vos documents…</translation>
    </message>
    <message>
      <location filename="../screens/printing.py" line="16" />
      <source>Your papers come out of the printer below the screen.
Please wait until they are all printed.</source>
      <translation>Vos papiers sortent de l'imprimante sous l'écran.
Attendez qu'ils soient tous imprimés.</translation>
    </message>
  </context>
  <context>
    <name>ReadingCard</name>
    <message>
      <location filename="../screens/reading_card.py" line="14" />
      <source>Reading your card…</source>
      <translation>Lecture de votre carte…</translation>
    </message>
    <message>
      <location filename="../screens/reading_card.py" line="16" />
      <source>Please leave the card in the slot.
This takes a few seconds.</source>
      <translation>Laissez la carte dans la fente.
Cela prend quelques secondes.</translation>
    </message>
  </context>
  <context>
    <name>Readings</name>
    <message>
      <location filename="../readings.py" line="31" />
      <source>Blood pressure</source>
      <translation>Tension artérielle</translation>
    </message>
    <message>
      <location filename="../readings.py" line="32" />
      <source>Cuff pressure</source>
      <translation>Pression du brassard</translation>
    </message>
    <message>
      <location filename="../readings.py" line="51" />
      <location filename="../readings.py" line="33" />
      <source>Temperature</source>
      <translation>Température</translation>
    </message>
    <message>
      <location filename="../readings.py" line="52" />
      <location filename="../readings.py" line="34" />
      <source>Weight</source>
      <translation>Poids</translation>
    </message>
    <message>
      <location filename="../readings.py" line="35" />
      <source>Body composition</source>
      <translation>Composition corporelle</translation>
    </message>
    <message>
      <location filename="../readings.py" line="36" />
      <source>Blood oxygen</source>
      <translation>Oxygène dans le sang</translation>
    </message>
    <message>
      <location filename="../readings.py" line="46" />
      <source>Systolic</source>
      <translation>Systolique</translation>
    </message>
    <message>
      <location filename="../readings.py" line="47" />
      <source>Diastolic</source>
      <translation>Diastolique</translation>
    </message>
    <message>
      <location filename="../readings.py" line="48" />
      <source>Mean pressure</source>
      <translation>Pression moyenne</translation>
    </message>
    <message>
      <location filename="../readings.py" line="49" />
      <source>Pulse</source>
      <translation>Pouls</translation>
    </message>
    <message>
      <location filename="../readings.py" line="50" />
      <source>Oxygen</source>
      <translation>Oxygène</translation>
    </message>
    <message>
      <location filename="../readings.py" line="53" />
      <source>Cuff</source>
      <translation>Brassard</translation>
    </message>
    <message>
      <location filename="../readings.py" line="54" />
      <source>Body mass index</source>
      <translation>Indice de masse corporelle</translation>
    </message>
    <message>
      <location filename="../readings.py" line="55" />
      <source>Body fat</source>
      <translation>Masse grasse</translation>
    </message>
    <message>
      <location filename="../readings.py" line="62" />
      <source>the device gave no value</source>
      <translation>l'appareil n'a donné aucune valeur</translation>
    </message>
    <message>
      <location filename="../readings.py" line="63" />
      <source>outside what the device can measure</source>
      <translation>hors de ce que l'appareil peut mesurer</translation>
    </message>
    <message>
      <location filename="../readings.py" line="64" />
      <source>the signal was too weak</source>
      <translation>le signal était trop faible</translation>
    </message>
    <message>
      <location filename="../readings.py" line="65" />
      <source>the arm moved during the measurement</source>
      <translation>le bras a bougé pendant la mesure</translation>
    </message>
    <message>
      <location filename="../readings.py" line="70" />
      <location filename="../readings.py" line="66" />
      <source>the measurement took too long</source>
      <translation>la mesure a pris trop de temps</translation>
    </message>
    <message>
      <location filename="../readings.py" line="67" />
      <source>the cuff tube is blocked</source>
      <translation>le tuyau du brassard est bouché</translation>
    </message>
    <message>
      <location filename="../readings.py" line="68" />
      <source>the measurement was stopped</source>
      <translation>la mesure a été arrêtée</translation>
    </message>
    <message>
      <location filename="../readings.py" line="69" />
      <source>the cuff is loose or leaking</source>
      <translation>le brassard est mal serré ou fuit</translation>
    </message>
    <message>
      <location filename="../readings.py" line="71" />
      <source>the cuff pressure was too high</source>
      <translation>la pression du brassard était trop forte</translation>
    </message>
    <message>
      <location filename="../readings.py" line="72" />
      <source>the value was not stable</source>
      <translation>la valeur n'était pas stable</translation>
    </message>
    <message>
      <location filename="../readings.py" line="73" />
      <source>more than the scale can weigh</source>
      <translation>au-delà de ce que la balance peut peser</translation>
    </message>
    <message>
      <location filename="../readings.py" line="76" />
      <source>device code {code}</source>
      <translation>code de l'appareil {code}</translation>
    </message>
    <message>
      <location filename="../readings.py" line="131" />
      <source>{name}: {value}</source>
      <translation>{name} : {value}</translation>
    </message>
    <message>
      <location filename="../readings.py" line="137" />
      <source>{name}: no valid measurement ({reason})</source>
      <translation>{name} : pas de mesure valable ({reason})</translation>
    </message>
    <message>
      <location filename="../readings.py" line="148" />
      <source>Device: {device}</source>
      <translation>Appareil : {device}</translation>
    </message>
    <message>
      <location filename="../readings.py" line="201" />
      <source>Your measurements</source>
      <translation>Vos mesures</translation>
    </message>
    <message>
      <location filename="../readings.py" line="217" />
      <source>Measuring now</source>
      <translation>Mesure en cours</translation>
    </message>
    <message>
      <location filename="../readings.py" line="231" />
      <source>No measurement yet.</source>
      <translation>Pas encore de mesure.</translation>
    </message>
    <message>
      <location filename="../readings.py" line="150" />
      <source>blood pressure monitor</source>
      <translation>tensiomètre</translation>
    </message>
    <message>
      <location filename="../readings.py" line="151" />
      <source>thermometer</source>
      <translation>thermomètre</translation>
    </message>
    <message>
      <location filename="../readings.py" line="153" />
      <source>scale</source>
      <translation>balance</translation>
    </message>
    <message>
      <location filename="../readings.py" line="154" />
      <source>pulse oximeter</source>
      <translation>oxymètre</translation>
    </message>
    <message>
      <location filename="../readings.py" line="159" />
      <source>measuring device</source>
      <translation>appareil de mesure</translation>
    </message>
  </context>
  <context>
    <name>Screen</name>
    <message>
      <location filename="../screens/base.py" line="205" />
      <source>Call staff</source>
      <translation>Appeler le personnel</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="207" />
      <source>More time</source>
      <translation>Plus de temps</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="244" />
      <source>High contrast</source>
      <translation>Contraste élevé</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="247" />
      <source>Read aloud</source>
      <translation>Lire à voix haute</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/base.py" line="320" />
      <source>This screen will close in %n seconds.</source>
      <translation>
        <numerusform>Cet écran se fermera dans %n seconde.</numerusform>
        <numerusform>Cet écran se fermera dans %n secondes.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="275" />
      <source>Do you need more time?</source>
      <translation>Avez-vous besoin de plus de temps ?</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="310" />
      <source>The staff has been called. Please stay here: someone will come.</source>
      <translation>Le personnel a été appelé. Merci de rester ici : quelqu'un va venir.</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="314" />
      <source>Someone is on their way to help you.</source>
      <translation>Quelqu'un arrive pour vous aider.</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="316" />
      <source>We could not call the staff from here. Please go to the reception desk, or ask someone nearby.</source>
      <translation>Le personnel n'a pas pu être appelé d'ici. Allez à l'accueil ou demandez de l'aide à une personne près de vous.</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="303" />
      <source>This screen is read aloud</source>
      <translation>Cet écran est lu à voix haute</translation>
    </message>
  </context>
  <context>
    <name>Technician</name>
    <message>
      <location filename="../screens/technician.py" line="162" />
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="164" />
      <source>FAILED</source>
      <translation>ÉCHEC</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="180" />
      <source>Logs of {name}:</source>
      <translation>Journal de {name} :</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="181" />
      <source>(no log line)</source>
      <translation>(aucune ligne de journal)</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="188" />
      <source>No printer is set up in this kiosk.</source>
      <translation>Aucune imprimante n'est configurée sur cette borne.</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="216" />
      <source>Technician mode</source>
      <translation>Mode technicien</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="219" />
      <source>Check</source>
      <translation>Vérification</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="220" />
      <source>Result</source>
      <translation>Résultat</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="221" />
      <source>Detail</source>
      <translation>Détail</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="225" />
      <source>Cabin {cabin} · version {version}</source>
      <translation>Cabine {cabin} · version {version}</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="230" />
      <source>Running the self-tests…</source>
      <translation>Autotests en cours…</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/technician.py" line="314" />
      <source>%n of {total} checks failed.</source>
      <translation>
        <numerusform>%n vérification sur {total} en échec.</numerusform>
        <numerusform>%n vérifications sur {total} en échec.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="240" />
      <source>Test print: {message}</source>
      <translation>Impression de test : {message}</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="243" />
      <source>Run the self-tests</source>
      <translation>Lancer les autotests</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="244" />
      <source>Print a test page</source>
      <translation>Imprimer une page de test</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="245" />
      <source>Back to the patient screen</source>
      <translation>Retour à l'écran patient</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="246" />
      <source>Exit to the desktop</source>
      <translation>Quitter vers le bureau</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="211" />
      <source>What to do: {hint}</source>
      <translation>À faire : {hint}</translation>
    </message>
  </context>
  <context>
    <name>WaitingRoom</name>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Yes, I'm here</source>
      <translation>Oui, je suis là</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Keep waiting</source>
      <translation>Continuer d'attendre</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>How to book a consultation</source>
      <translation>Comment prendre rendez-vous</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>We are sorry</source>
      <translation>Nous sommes désolés</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>The cabin is closed at this hour: no doctor can see you now.</source>
      <translation>La cabine est fermée à cette heure : aucun médecin ne peut vous recevoir maintenant.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>No doctor is on duty right now.</source>
      <translation>Aucun médecin n'est disponible en ce moment.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>The doctor has not come yet: the wait is longer than expected.</source>
      <translation>Le médecin n'est pas encore venu : l'attente est plus longue que prévu.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>You can keep waiting: you keep your place in the queue. You can also call the staff, or book a consultation.</source>
      <translation>Vous pouvez continuer d'attendre : vous gardez votre place dans la file. Vous pouvez aussi appeler le personnel, ou prendre rendez-vous.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Ask the staff at the desk, or book a consultation at {site}.</source>
      <translation>Demandez au personnel de l'accueil, ou prenez rendez-vous sur {site}.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Ask the staff at the desk to book a consultation.</source>
      <translation>Demandez au personnel de l'accueil de vous donner un rendez-vous.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Are you still there?</source>
      <translation>Êtes-vous toujours là ?</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/waiting_room.py" line="102" />
      <source>Without an answer, you will leave the queue in %n seconds.</source>
      <translation>
        <numerusform>Sans réponse, vous quitterez la file d'attente dans %n seconde.</numerusform>
        <numerusform>Sans réponse, vous quitterez la file d'attente dans %n secondes.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="58" />
      <location filename="../screens/goodbye.py" line="65" />
      <location filename="../screens/booking_code.py" line="287" />
      <source>This cabin sees patients with an appointment only. Book at {site} or ask the staff at the desk.</source>
      <translation>Cette cabine ne reçoit que sur rendez-vous. Prenez rendez-vous sur {site} ou demandez à l'accueil.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="63" />
      <location filename="../screens/goodbye.py" line="69" />
      <location filename="../screens/booking_code.py" line="292" />
      <source>the booking site</source>
      <translation>le site de prise de rendez-vous</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="53" />
      <source>Your appointment is at {time}. Patients with an appointment are seen first.</source>
      <translation>Votre rendez-vous est à {time}. Les patients qui ont un rendez-vous passent en premier.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="76" />
      <source>You are next.</source>
      <translation>Vous êtes le prochain.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="79" />
      <source>Your place in the queue: {n}.</source>
      <translation>Votre place dans la file : {n}.</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/waiting_room.py" line="92" />
      <source>Expected wait: about %n minutes.</source>
      <translation>
        <numerusform>Attente prévue : environ %n minute.</numerusform>
        <numerusform>Attente prévue : environ %n minutes.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="92" />
      <source>A doctor will see you soon</source>
      <translation>Un médecin va vous recevoir</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="94" />
      <source>Please stay seated. The doctor will appear on this screen.</source>
      <translation>Restez assis. Le médecin apparaîtra sur cet écran.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="99" />
      <source>While you wait, please get ready:</source>
      <translation>En attendant, préparez :</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="100" />
      <source>an identity document (ID card, passport)</source>
      <translation>une pièce d'identité (carte d'identité, passeport)</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="101" />
      <source>your medicines or your last prescription</source>
      <translation>vos médicaments ou votre dernière ordonnance</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="102" />
      <source>your glasses, if you need them</source>
      <translation>vos lunettes, si vous en avez besoin</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="107" />
      <source>Sick note: after a video consultation, time off work is limited to 3 days, unless the doctor is your declared GP (médecin traitant).</source>
      <translation>Arrêt de travail : après une consultation vidéo, il est limité à 3 jours, sauf si le médecin est votre médecin traitant.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="113" />
      <source>Leave without a consultation</source>
      <translation>Partir sans consultation</translation>
    </message>
  </context>
  <context>
    <name>Wiping</name>
    <message>
      <location filename="../screens/wiping.py" line="14" />
      <source>Erasing the consultation's data…</source>
      <translation>Effacement des données de la consultation…</translation>
    </message>
    <message>
      <location filename="../screens/wiping.py" line="15" />
      <source>Nothing about you stays in the cabin.</source>
      <translation>Rien sur vous ne reste dans la cabine.</translation>
    </message>
  </context>
  <context>
    <name>Chat</name>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>Yes</source>
      <translation>Oui</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>No</source>
      <translation>Non</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>I can't hear</source>
      <translation>Je n'entends pas</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>Please repeat</source>
      <translation>Répétez</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>The doctor writes to you:</source>
      <translation>Le médecin vous écrit :</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>You answered: {answer}</source>
      <translation>Vous avez répondu : {answer}</translation>
    </message>
  </context>
  <context>
    <name>Nurse</name>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Nurse</source>
      <translation>Infirmier·ère</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Doctor</source>
      <translation>Médecin</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Midwife</source>
      <translation>Sage-femme</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Pharmacist</source>
      <translation>Pharmacien·ne</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Other health professional</source>
      <translation>Autre professionnel·le de santé</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>RPPS number</source>
      <translation>Numéro RPPS</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>First and last name</source>
      <translation>Prénom et nom</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Profession</source>
      <translation>Profession</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>11 digits</source>
      <translation>11 chiffres</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Sign in for the shift</source>
      <translation>Prendre son service</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Sign out</source>
      <translation>Se déconnecter</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Patient without a card</source>
      <translation>Patient sans carte</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Devices</source>
      <translation>Appareils</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Continue to the consent</source>
      <translation>Passer au consentement</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Back</source>
      <translation>Retour</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Where the patient is seen</source>
      <translation>Lieu de la consultation</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type your RPPS number, your name and your profession. They are kept until you sign out or the day ends.</source>
      <translation>Saisissez votre numéro RPPS, votre nom et votre profession. Ils sont gardés jusqu'à votre déconnexion ou la fin de la journée.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type the identity from the patient's ID document, in any alphabet.</source>
      <translation>Saisissez l'identité d'après la pièce d'identité du patient, dans n'importe quel alphabet.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Next patient</source>
      <translation>Patient suivant</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Assisting: {name}, {profession}, RPPS {rpps}</source>
      <translation>En service : {name}, {profession}, RPPS {rpps}</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Insert the patient's Carte Vitale in the reader.</source>
      <translation>Insérez la Carte Vitale du patient dans le lecteur.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>CPS recognised — reading it needs its PIN code: type your RPPS number. This version does not ask for the PIN, so the card's data is not read.</source>
      <translation>CPS reconnue — sa lecture demande le code PIN : saisissez votre RPPS. Cette version ne demande pas le code PIN : les données de la carte ne sont pas lues.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This is a health professional card (CPS), not a Carte Vitale. Remove it and insert the patient's Carte Vitale.</source>
      <translation>C'est une carte de professionnel de santé (CPS), pas une Carte Vitale. Retirez-la et insérez la Carte Vitale du patient.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This is a Carte Vitale: the patient's card comes after you sign in. Remove it, then sign in with your RPPS number.</source>
      <translation>C'est une Carte Vitale : la carte du patient vient après votre connexion. Retirez-la, puis connectez-vous avec votre numéro RPPS.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This card is neither a Carte Vitale nor a CPS, or it cannot be read.</source>
      <translation>Cette carte n'est ni une Carte Vitale ni une CPS, ou elle est illisible.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>The day is over: sign in again for today's shift.</source>
      <translation>La journée est finie : reconnectez-vous pour le service d'aujourd'hui.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>The RPPS number has 11 digits.</source>
      <translation>Le numéro RPPS a 11 chiffres.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This RPPS number is not valid (its last digit does not match): check it.</source>
      <translation>Ce numéro RPPS n'est pas valide (son dernier chiffre ne correspond pas) : vérifiez-le.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type your name.</source>
      <translation>Saisissez votre nom.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>A name has letters only (and spaces, hyphens, apostrophes).</source>
      <translation>Un nom ne contient que des lettres (et des espaces, traits d'union, apostrophes).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This is not possible now: try again in a moment.</source>
      <translation>Ce n'est pas possible pour le moment : réessayez dans un instant.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Health centre</source>
      <translation>Centre de santé</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Patient's home</source>
      <translation>Domicile du patient</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Other place</source>
      <translation>Autre lieu</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type the patient's last name (letters only).</source>
      <translation>Saisissez le nom du patient (lettres seulement).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type the patient's first name (letters only).</source>
      <translation>Saisissez le prénom du patient (lettres seulement).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>The birth date is a real date, as {pattern} (for example {example}).</source>
      <translation>La date de naissance est une vraie date, au format {pattern} (par exemple {example}).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>DD/MM/YYYY</source>
      <translation>JJ/MM/AAAA</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Choose the patient's sex.</source>
      <translation>Choisissez le sexe du patient.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Last name</source>
      <translation>Nom</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>First name</source>
      <translation>Prénom</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Birth date</source>
      <translation>Date de naissance</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Sex</source>
      <translation>Sexe</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Choose…</source>
      <translation>Choisir…</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Female</source>
      <translation>Féminin</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Male</source>
      <translation>Masculin</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Your answer is recorded with {name} ({profession}) present.</source>
      <translation>Votre réponse est enregistrée en présence de {name} ({profession}).</translation>
    </message>
  </context>
  <context>
    <name>ExamGuide</name>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Put the otoscope gently into your left ear</source>
      <translation>Placez doucement l'otoscope dans votre oreille gauche</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Put the otoscope gently into your right ear</source>
      <translation>Placez doucement l'otoscope dans votre oreille droite</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Open your mouth wide, the camera in front of it</source>
      <translation>Ouvrez grand la bouche, la caméra devant</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Hold the camera close to the skin the doctor wants to see</source>
      <translation>Tenez la caméra près de la peau que le médecin veut voir</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Place the stethoscope on point {n}</source>
      <translation>Posez le stéthoscope sur le point {n}</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Place the stethoscope on point {n}, on the chest</source>
      <translation>Posez le stéthoscope sur le point {n}, sur la poitrine</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Place the stethoscope on point {n}, on the back</source>
      <translation>Posez le stéthoscope sur le point {n}, dans le dos</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>A little higher</source>
      <translation>Un peu plus haut</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>A little lower</source>
      <translation>Un peu plus bas</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Hold still</source>
      <translation>Ne bougez plus</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Breathe in deeply</source>
      <translation>Respirez profondément</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Cough</source>
      <translation>Toussez</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Hold your breath</source>
      <translation>Retenez votre respiration</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>That's it, thank you</source>
      <translation>C'est fini, merci</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The doctor is listening: the loudspeaker is off</source>
      <translation>Le médecin écoute : le haut-parleur est coupé</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The exam camera is off</source>
      <translation>La caméra d'examen est éteinte</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The exam camera is not responding: the doctor has been told</source>
      <translation>La caméra d'examen ne répond pas : le médecin est prévenu</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The stethoscope is not responding: the doctor has been told</source>
      <translation>Le stéthoscope ne répond pas : le médecin est prévenu</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>What the doctor sees</source>
      <translation>Ce que voit le médecin</translation>
    </message>
  </context>
  <context>
    <name>Pairing</name>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Blood pressure monitor</source>
      <translation>Tensiomètre</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Thermometer</source>
      <translation>Thermomètre</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Scale</source>
      <translation>Balance</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Pulse oximeter</source>
      <translation>Oxymètre</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Other device</source>
      <translation>Autre appareil</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>This cuff is paired with another device (a phone?): erase its pairing (see its manual), then try again.</source>
      <translation>Ce brassard est appairé à un autre appareil (téléphone ?) : effacez son appairage (voir sa notice), puis réessayez.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>The device is no longer seen: switch it on, bring it closer, search again.</source>
      <translation>L'appareil n'est plus visible : allumez-le, rapprochez-le, relancez la recherche.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>The device did not answer in time: try again.</source>
      <translation>L'appareil n'a pas répondu à temps : réessayez.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>This did not work: try again. If it goes on, call support.</source>
      <translation>Cela n'a pas fonctionné : réessayez. Si cela continue, appelez l'assistance.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Paired</source>
      <translation>Appairé</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Battery {level}</source>
      <translation>Batterie {level}</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Last reading at {time}</source>
      <translation>Dernière mesure à {time}</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Search</source>
      <translation>Rechercher</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Pair</source>
      <translation>Appairer</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Forget</source>
      <translation>Oublier</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Searching… switch the device on.</source>
      <translation>Recherche en cours… allumez l'appareil.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Please wait…</source>
      <translation>Patientez…</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Devices found: {count}. Choose one.</source>
      <translation>Appareils trouvés : {count}. Choisissez-en un.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>No device found: switch it on and search again.</source>
      <translation>Aucun appareil trouvé : allumez-le et relancez la recherche.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>The kit's devices</source>
      <translation>Les appareils de la mallette</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Switch the device on and put it in pairing mode (see its manual), then search.</source>
      <translation>Allumez l'appareil et mettez-le en mode appairage (voir sa notice), puis lancez la recherche.</translation>
    </message>
  </context>
  <context>
    <name>DoctorChoice</name>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>available</source>
      <translation>disponible</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>in a consultation</source>
      <translation>en consultation</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>not connected</source>
      <translation>non connecté</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Which doctor do you call?</source>
      <translation>Quel médecin appelez-vous ?</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>This doctor cannot be called (no longer registered). Choose another one, or join the waiting room.</source>
      <translation>Ce médecin ne peut pas être appelé (il n'est plus inscrit). Choisissez-en un autre, ou rejoignez la salle d'attente.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>The list of doctors could not be loaded. Try again, or join the waiting room.</source>
      <translation>La liste des médecins n'a pas pu être chargée. Réessayez, ou rejoignez la salle d'attente.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Loading the list of doctors…</source>
      <translation>Chargement de la liste des médecins…</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Choose the doctor to call, or join the waiting room: the first doctor free will see the patient.</source>
      <translation>Choisissez le médecin à appeler, ou rejoignez la salle d'attente : le premier médecin libre verra le patient.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Waiting for {name}</source>
      <translation>En attente de {name}</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>{name} is not connected right now. You can keep waiting, or join the waiting room: any doctor on duty can then see the patient.</source>
      <translation>{name} n'est pas connecté pour le moment. Vous pouvez continuer d'attendre, ou rejoindre la salle d'attente : tout médecin en service pourra alors voir le patient.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>{name} is in a consultation and will see the patient after it. Please stay seated.</source>
      <translation>{name} est en consultation et verra le patient ensuite. Restez assis, s'il vous plaît.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>{name} sees the patient first in their list. Please stay seated: they will appear on this screen.</source>
      <translation>Le patient est en tête de la liste de {name}. Restez assis : le médecin apparaîtra sur cet écran.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Try again</source>
      <translation>Réessayer</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Join the waiting room</source>
      <translation>Rejoindre la salle d'attente</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Join the waiting room instead</source>
      <translation>Rejoindre plutôt la salle d'attente</translation>
    </message>
  </context>
</TS>
