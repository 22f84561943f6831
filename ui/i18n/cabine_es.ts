<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES" sourcelanguage="en">
  <context>
    <name>BookingCode</name>
    <message>
      <location filename="../screens/booking_code.py" line="242" />
      <source>Enter your booking code</source>
      <translation>Escriba su código de cita</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="245" />
      <source>It is in the SMS confirming your appointment: 6 letters and numbers.</source>
      <translation>Está en el SMS que confirma su cita: 6 letras y números.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="250" />
      <source>Check my code</source>
      <translation>Comprobar mi código</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="251" />
      <source>Erase</source>
      <translation>Borrar</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="252" />
      <source>Leave</source>
      <translation>Salir</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="253" />
      <source>Wait without an appointment</source>
      <translation>Esperar sin cita</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="255" />
      <source>You can also insert your Carte Vitale at any time.</source>
      <translation>También puede introducir su tarjeta Vitale en cualquier momento.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="264" />
      <source>Checking your code…</source>
      <translation>Comprobando su código…</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="266" />
      <source>This code was not found. Check the SMS you received and try again.</source>
      <translation>No hemos encontrado este código. Revise el SMS que recibió e inténtelo de nuevo.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="271" />
      <source>Too many tries. Please insert your Carte Vitale, or call the staff.</source>
      <translation>Demasiados intentos. Introduzca su tarjeta Vitale o llame al personal.</translation>
    </message>
    <message>
      <location filename="../screens/booking_code.py" line="276" />
      <source>Your code cannot be checked right now. Try again in a moment, or call the staff.</source>
      <translation>Ahora mismo no podemos comprobar su código. Inténtelo de nuevo en un momento o llame al personal.</translation>
    </message>
  </context>
  <context>
    <name>Cleaning</name>
    <message>
      <location filename="../screens/cleaning.py" line="21" />
      <source>The cabin is being cleaned</source>
      <translation>Se está limpiando la cabina</translation>
    </message>
    <message>
      <location filename="../screens/cleaning.py" line="23" />
      <source>Please wait a moment.
The next person can come in soon.</source>
      <translation>Espere un momento, por favor.
La siguiente persona podrá entrar pronto.</translation>
    </message>
    <message>
      <location filename="../screens/cleaning.py" line="25" />
      <source>Staff only: cleaning done</source>
      <translation>Solo personal: limpieza hecha</translation>
    </message>
  </context>
  <context>
    <name>ConfirmIdentity</name>
    <message>
      <location filename="../screens/confirm_identity.py" line="25" />
      <location filename="../screens/confirm_identity.py" line="23" />
      <source>born in {date}</source>
      <translation>nacido/a en {date}</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="26" />
      <source>born on {date}</source>
      <translation>nacido/a el {date}</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="45" />
      <source>Who is seeing the doctor today?</source>
      <translation>¿Quién consulta hoy al médico?</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="46" />
      <source>Touch your name.</source>
      <translation>Toque su nombre.</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="47" />
      <source>None of these people</source>
      <translation>Ninguna de estas personas</translation>
    </message>
    <message>
      <location filename="../screens/confirm_identity.py" line="28" />
      <source>{month} {year}</source>
      <translation>{month} de {year}</translation>
    </message>
  </context>
  <context>
    <name>Consent</name>
    <message>
      <location filename="../screens/consent.py" line="23" />
      <source>Before the video consultation</source>
      <translation>Antes de la consulta por vídeo</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="27" />
      <source>You will talk with a doctor by video.</source>
      <translation>Va a hablar con un médico por vídeo.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="29" />
      <source>The doctor sees your name, your date of birth, your social security number and your measurements.</source>
      <translation>El médico ve su nombre, su fecha de nacimiento, su número de la seguridad social y sus mediciones.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="35" />
      <source>Nothing about you stays in the cabin after you leave.</source>
      <translation>Nada sobre usted se queda en la cabina cuando se vaya.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="36" />
      <source>You can stop at any time.</source>
      <translation>Puede parar en cualquier momento.</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="40" />
      <source>Yes, I agree</source>
      <translation>Sí, acepto</translation>
    </message>
    <message>
      <location filename="../screens/consent.py" line="41" />
      <source>No, stop here</source>
      <translation>No, paro aquí</translation>
    </message>
  </context>
  <context>
    <name>Emergency</name>
    <message>
      <location filename="../screens/idle.py" line="67" />
      <source>Not for emergencies: in an emergency, call 15 or 112.</source>
      <translation>No es para urgencias: en caso de urgencia, llame al 15 o al 112.</translation>
    </message>
  </context>
  <context>
    <name>Fault</name>
    <message>
      <location filename="../screens/fault.py" line="13" />
      <source>This Carte Vitale is an old model that this cabin cannot read.
Your health insurance fund (ameli.fr) can give you a new one.</source>
      <translation>Esta tarjeta Vitale es un modelo antiguo que esta cabina no puede leer.
Su caja del seguro de enfermedad (ameli.fr) puede darle una nueva.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="13" />
      <source>The information on this card could not be read.
If it happens again, your health insurance fund (ameli.fr) can replace the card.</source>
      <translation>No se ha podido leer la información de esta tarjeta.
Si vuelve a ocurrir, su caja del seguro de enfermedad (ameli.fr) puede sustituir la tarjeta.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="13" />
      <source>Take this card out, then put in a Carte Vitale to try again.
Or press “Finish” to leave.</source>
      <translation>Saque esta tarjeta e introduzca una tarjeta Vitale para intentarlo de nuevo.
O pulse «Terminar» para salir.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>The doctor has ended the consultation</source>
      <translation>El médico ha terminado la consulta</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>Press “Finish” to leave.</source>
      <translation>Pulse «Terminar» para salir.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>The consultation has ended.
Press “Finish”: your papers will be printed, then everything about you is erased.</source>
      <translation>La consulta ha terminado.
Pulse «Terminar»: se imprimirán sus papeles y después se borrará todo lo que le concierne.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="14" />
      <source>This card is not a Carte Vitale.</source>
      <translation>Esta tarjeta no es una tarjeta Vitale.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="20" />
      <source>No one is registered on this card.</source>
      <translation>No hay nadie registrado en esta tarjeta.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="21" />
      <source>Check that the chip is facing down and clean.</source>
      <translation>Compruebe que el chip está hacia abajo y limpio.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="27" />
      <source>Your card was taken out</source>
      <translation>Ha retirado su tarjeta</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="27" />
      <source>To go on, put your Carte Vitale back into the slot.
Or press “Finish”: the session ends and your data is erased.</source>
      <translation>Para continuar, vuelva a introducir su tarjeta Vitale en la ranura.
O pulse «Terminar»: la sesión acaba y se borran sus datos.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="33" />
      <source>We could not read your card</source>
      <translation>No hemos podido leer su tarjeta</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="36" />
      <source>Take the card out and put it back in to try again.
Or press “Finish” to leave.</source>
      <translation>Saque la tarjeta y vuelva a introducirla para intentarlo de nuevo.
O pulse «Terminar» para salir.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="45" />
      <source>The connection with the doctor could not be restored</source>
      <translation>No se ha podido restablecer la conexión con el médico</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="46" />
      <source>The consultation has ended. Nothing was kept: your data is erased.
To book a new consultation, use the booking website or ask the staff at the desk.
Press “Finish” to leave.</source>
      <translation>La consulta ha terminado. No se ha guardado nada: sus datos se han borrado.
Para pedir una nueva cita, use la web de citas o pregunte al personal de recepción.
Pulse «Terminar» para salir.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="55" />
      <source>The connection to the doctor was lost</source>
      <translation>Se ha perdido la conexión con el médico</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="55" />
      <source>We are reconnecting. Please stay here: your consultation is kept.
If it does not come back, the session ends and your data is erased.</source>
      <translation>Estamos volviendo a conectar. Quédese aquí: su consulta se mantiene.
Si la conexión no se restablece, la sesión terminará y se borrarán sus datos.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="61" />
      <source>Check that its cable is plugged in.
The consultation goes on when the device answers again.</source>
      <translation>Compruebe que su cable está enchufado.
La consulta continuará en cuanto el aparato vuelva a responder.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="68" />
      <source>A measuring device is not responding</source>
      <translation>Un aparato de medición no responde</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="70" />
      <source>The printer has a problem</source>
      <translation>La impresora tiene un problema</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="70" />
      <source>Your papers could not be printed.
Press “Call staff”: someone will give them to you.</source>
      <translation>No se han podido imprimir sus papeles.
Pulse «Llamar al personal»: alguien se los entregará.</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/fault.py" line="119" />
      <source>Your papers could not be printed. They are kept for %n minutes: the staff will print them for you.
Press “Call staff”, or if you leave now, ask at the desk.</source>
      <translation>
        <numerusform>No se han podido imprimir sus papeles. Se guardan %n minuto: el personal se los imprimirá.
Pulse «Llamar al personal» o, si se va ahora, pregunte en recepción.</numerusform>
        <numerusform>No se han podido imprimir sus papeles. Se guardan %n minutos: el personal se los imprimirá.
Pulse «Llamar al personal» o, si se va ahora, pregunte en recepción.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/fault.py" line="119" />
      <source>Leave without your papers?
Ask at the desk: the staff can print them for you for %n minutes. After that, they are erased.</source>
      <translation>
        <numerusform>¿Irse sin sus papeles?
Pregunte en recepción: el personal puede imprimírselos durante %n minuto. Después, se borran.</numerusform>
        <numerusform>¿Irse sin sus papeles?
Pregunte en recepción: el personal puede imprimírselos durante %n minutos. Después, se borran.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="140" />
      <source>Leave without your papers?
They could not be printed and will be erased.</source>
      <translation>¿Irse sin sus papeles?
No se han podido imprimir y se borrarán.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="140" />
      <source>Stay</source>
      <translation>Quedarme</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="140" />
      <source>Yes, leave</source>
      <translation>Sí, irme</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="75" />
      <source>Something went wrong</source>
      <translation>Ha ocurrido un problema</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="75" />
      <source>We are dealing with it. Please call staff if you need help.</source>
      <translation>Nos estamos ocupando. Llame al personal si necesita ayuda.</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="109" />
      <source>Finish</source>
      <translation>Terminar</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="117" />
      <source>Enter my booking code instead</source>
      <translation>Usar mi código de cita</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="28" />
      <source>The blood pressure monitor is not responding</source>
      <translation>El tensiómetro no responde</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="30" />
      <source>The thermometer is not responding</source>
      <translation>El termómetro no responde</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="32" />
      <source>The scale is not responding</source>
      <translation>La báscula no responde</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="34" />
      <source>The pulse oximeter is not responding</source>
      <translation>El pulsioxímetro no responde</translation>
    </message>
    <message>
      <location filename="../screens/fault.py" line="173" />
      <source>Continue without this measurement</source>
      <translation>Continuar sin esta medición</translation>
    </message>
  </context>
  <context>
    <name>Goodbye</name>
    <message>
      <location filename="../screens/goodbye.py" line="50" />
      <source>Goodbye</source>
      <translation>Hasta pronto</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="50" />
      <source>Take your Carte Vitale.</source>
      <translation>Recoja su tarjeta Vitale.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="44" />
      <source>No consultation without an appointment</source>
      <translation>No hay consulta sin cita</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="46" />
      <source>The consultation is over</source>
      <translation>La consulta ha terminado</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="48" />
      <source>Take your papers.</source>
      <translation>Recoja sus papeles.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="50" />
      <source>Take your belongings.</source>
      <translation>Recoja sus cosas.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="52" />
      <source>Take your Carte Vitale and your papers.</source>
      <translation>Recoja su tarjeta Vitale y sus papeles.</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="56" />
      <source>Everything about you will now be erased from the cabin.
Take care!</source>
      <translation>Todo lo que le concierne se borrará ahora de la cabina.
¡Cuídese!</translation>
    </message>
    <message>
      <location filename="../screens/goodbye.py" line="72" />
      <source>I have taken everything</source>
      <translation>Lo he recogido todo</translation>
    </message>
  </context>
  <context>
    <name>Idle</name>
    <message>
      <location filename="../screens/idle.py" line="49" />
      <source>Insert your Carte Vitale</source>
      <translation>Introduzca su tarjeta Vitale</translation>
    </message>
    <message>
      <location filename="../screens/idle.py" line="51" />
      <source>Chip facing down, into the slot below the screen.
A doctor will see you by video.</source>
      <translation>Con el chip hacia abajo, en la ranura bajo la pantalla.
Un médico le atenderá por vídeo.</translation>
    </message>
    <message>
      <location filename="../screens/idle.py" line="57" />
      <source>To change the language, touch it at the top.</source>
      <translation>Para cambiar de idioma, tóquelo arriba.</translation>
    </message>
    <message>
      <location filename="../screens/idle.py" line="58" />
      <source>No Carte Vitale? Enter your booking code</source>
      <translation>¿No tiene tarjeta Vitale? Escriba su código de cita</translation>
    </message>
  </context>
  <context>
    <name>InCall</name>
    <message numerus="yes">
      <location filename="../screens/in_call.py" line="93" />
      <source>The consultation will stop in %n seconds.</source>
      <translation>
        <numerusform>La consulta se detendrá en %n segundo.</numerusform>
        <numerusform>La consulta se detendrá en %n segundos.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="73" />
      <source>The doctor is speaking</source>
      <translation>El médico está hablando</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="75" />
      <source>You are speaking</source>
      <translation>Usted está hablando</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Weak connection: the doctor can hear you, the video will come back</source>
      <translation>Conexión débil: el médico le oye, el vídeo volverá</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Reconnecting… please stay in front of the screen</source>
      <translation>Reconectando… quédese delante de la pantalla</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="81" />
      <source>You are with the doctor</source>
      <translation>Está con el médico</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="83" />
      <source>The doctor's picture is coming…</source>
      <translation>La imagen del médico está llegando…</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="84" />
      <source>Your camera</source>
      <translation>Su cámara</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Volume: {level} of {top}</source>
      <translation>Volumen: {level} de {top}</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Quieter</source>
      <translation>Más bajo</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Louder</source>
      <translation>Más alto</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>I can't hear the doctor</source>
      <translation>No oigo al médico</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Mute my mic</source>
      <translation>Silenciar mi micrófono</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Unmute my mic</source>
      <translation>Activar mi micrófono</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Your microphone is off: the doctor cannot hear you.</source>
      <translation>Su micrófono está apagado: el médico no le oye.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>The doctor has been told that you cannot hear them.</source>
      <translation>Se ha avisado al médico de que usted no le oye.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>The doctor could not be told. Press Louder, or call the staff.</source>
      <translation>No se ha podido avisar al médico. Pulse «Más alto» o llame al personal.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>End the consultation</source>
      <translation>Terminar la consulta</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Do you want to end the consultation now? The doctor will no longer see or hear you.</source>
      <translation>¿Quiere terminar la consulta ahora? El médico ya no le verá ni le oirá.</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>Yes, end it</source>
      <translation>Sí, terminar</translation>
    </message>
    <message>
      <location filename="../screens/in_call.py" line="1" />
      <source>No, stay with the doctor</source>
      <translation>No, seguir con el médico</translation>
    </message>
  </context>
  <context>
    <name>Measuring</name>
    <message>
      <location filename="../screens/measuring.py" line="19" />
      <source>Blood pressure</source>
      <translation>Tensión arterial</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="20" />
      <source>Sit down, back against the chair, both feet on the floor.</source>
      <translation>Siéntese, con la espalda contra la silla y los dos pies en el suelo.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="21" />
      <source>Put the cuff on your LEFT arm, above the elbow.</source>
      <translation>Póngase el manguito en el brazo IZQUIERDO, por encima del codo.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="22" />
      <source>Rest your arm on the table, palm up.</source>
      <translation>Apoye el brazo en la mesa, con la palma hacia arriba.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="23" />
      <source>Press the start button on the device. Do not move or talk.</source>
      <translation>Pulse el botón de inicio del aparato. No se mueva ni hable.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="26" />
      <source>Temperature</source>
      <translation>Temperatura</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="27" />
      <source>Take the thermometer from its holder.</source>
      <translation>Tome el termómetro de su soporte.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="28" />
      <source>Point it at the middle of your forehead, close but not touching.</source>
      <translation>Apunte al centro de la frente, cerca pero sin tocar.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="31" />
      <source>Press its button and keep still until it beeps.</source>
      <translation>Pulse su botón y no se mueva hasta que pite.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="34" />
      <source>Weight</source>
      <translation>Peso</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="35" />
      <source>Take off your shoes and your coat.</source>
      <translation>Quítese los zapatos y el abrigo.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="36" />
      <source>Step onto the scale, one foot on each side.</source>
      <translation>Súbase a la báscula, un pie a cada lado.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="37" />
      <source>Stand still until the number stops changing.</source>
      <translation>Quédese quieto hasta que el número deje de cambiar.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="40" />
      <source>Blood oxygen</source>
      <translation>Oxígeno en sangre</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="41" />
      <source>Put your index finger into the clip, nail on top.</source>
      <translation>Meta el dedo índice en la pinza, con la uña hacia arriba.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="42" />
      <source>Rest your hand on the table.</source>
      <translation>Apoye la mano en la mesa.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="43" />
      <source>Keep still for about 30 seconds.</source>
      <translation>No se mueva durante unos 30 segundos.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="45" />
      <source>Measurement</source>
      <translation>Medición</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="46" />
      <source>Follow what the doctor tells you.</source>
      <translation>Siga las indicaciones del médico.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="89" />
      <source>Measurement: {name}</source>
      <translation>Medición: {name}</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="95" />
      <source>Stop this measurement</source>
      <translation>Parar esta medición</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="1" />
      <source>The doctor sees and hears you.</source>
      <translation>El médico le ve y le oye.</translation>
    </message>
    <message>
      <location filename="../screens/measuring.py" line="1" />
      <source>The doctor</source>
      <translation>El médico</translation>
    </message>
  </context>
  <context>
    <name>Pin</name>
    <message>
      <location filename="../screens/pin.py" line="143" />
      <source>Technician code</source>
      <translation>Código del técnico</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="144" />
      <source>Erase</source>
      <translation>Borrar</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="145" />
      <source>OK</source>
      <translation>OK</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="146" />
      <source>Back</source>
      <translation>Volver</translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="149" />
      <source>Wrong code.</source>
      <translation>Código incorrecto.</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/pin.py" line="161" />
      <source>Too many wrong codes. Try again in %n seconds.</source>
      <translation>
        <numerusform>Demasiados códigos incorrectos. Inténtelo de nuevo en %n segundo.</numerusform>
        <numerusform>Demasiados códigos incorrectos. Inténtelo de nuevo en %n segundos.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/pin.py" line="157" />
      <source>Technician mode is not configured.</source>
      <translation>El modo técnico no está configurado.</translation>
    </message>
  </context>
  <context>
    <name>Printing</name>
    <message>
      <location filename="../screens/printing.py" line="14" />
      <source>Printing your documents…</source>
      <translation>Imprimiendo sus documentos…</translation>
    </message>
    <message>
      <location filename="../screens/printing.py" line="16" />
      <source>Your papers come out of the printer below the screen.
Please wait until they are all printed.</source>
      <translation>Sus papeles salen de la impresora bajo la pantalla.
Espere hasta que estén todos impresos.</translation>
    </message>
  </context>
  <context>
    <name>ReadingCard</name>
    <message>
      <location filename="../screens/reading_card.py" line="14" />
      <source>Reading your card…</source>
      <translation>Leyendo su tarjeta…</translation>
    </message>
    <message>
      <location filename="../screens/reading_card.py" line="16" />
      <source>Please leave the card in the slot.
This takes a few seconds.</source>
      <translation>Deje la tarjeta en la ranura.
Esto tarda unos segundos.</translation>
    </message>
  </context>
  <context>
    <name>Readings</name>
    <message>
      <location filename="../readings.py" line="31" />
      <source>Blood pressure</source>
      <translation>Tensión arterial</translation>
    </message>
    <message>
      <location filename="../readings.py" line="32" />
      <source>Cuff pressure</source>
      <translation>Presión del manguito</translation>
    </message>
    <message>
      <location filename="../readings.py" line="51" />
      <location filename="../readings.py" line="33" />
      <source>Temperature</source>
      <translation>Temperatura</translation>
    </message>
    <message>
      <location filename="../readings.py" line="52" />
      <location filename="../readings.py" line="34" />
      <source>Weight</source>
      <translation>Peso</translation>
    </message>
    <message>
      <location filename="../readings.py" line="35" />
      <source>Body composition</source>
      <translation>Composición corporal</translation>
    </message>
    <message>
      <location filename="../readings.py" line="36" />
      <source>Blood oxygen</source>
      <translation>Oxígeno en sangre</translation>
    </message>
    <message>
      <location filename="../readings.py" line="46" />
      <source>Systolic</source>
      <translation>Sistólica</translation>
    </message>
    <message>
      <location filename="../readings.py" line="47" />
      <source>Diastolic</source>
      <translation>Diastólica</translation>
    </message>
    <message>
      <location filename="../readings.py" line="48" />
      <source>Mean pressure</source>
      <translation>Presión media</translation>
    </message>
    <message>
      <location filename="../readings.py" line="49" />
      <source>Pulse</source>
      <translation>Pulso</translation>
    </message>
    <message>
      <location filename="../readings.py" line="50" />
      <source>Oxygen</source>
      <translation>Oxígeno</translation>
    </message>
    <message>
      <location filename="../readings.py" line="53" />
      <source>Cuff</source>
      <translation>Manguito</translation>
    </message>
    <message>
      <location filename="../readings.py" line="54" />
      <source>Body mass index</source>
      <translation>Índice de masa corporal</translation>
    </message>
    <message>
      <location filename="../readings.py" line="55" />
      <source>Body fat</source>
      <translation>Grasa corporal</translation>
    </message>
    <message>
      <location filename="../readings.py" line="62" />
      <source>the device gave no value</source>
      <translation>el aparato no ha dado ningún valor</translation>
    </message>
    <message>
      <location filename="../readings.py" line="63" />
      <source>outside what the device can measure</source>
      <translation>fuera de lo que el aparato puede medir</translation>
    </message>
    <message>
      <location filename="../readings.py" line="64" />
      <source>the signal was too weak</source>
      <translation>la señal era demasiado débil</translation>
    </message>
    <message>
      <location filename="../readings.py" line="65" />
      <source>the arm moved during the measurement</source>
      <translation>el brazo se movió durante la medición</translation>
    </message>
    <message>
      <location filename="../readings.py" line="70" />
      <location filename="../readings.py" line="66" />
      <source>the measurement took too long</source>
      <translation>la medición tardó demasiado</translation>
    </message>
    <message>
      <location filename="../readings.py" line="67" />
      <source>the cuff tube is blocked</source>
      <translation>el tubo del manguito está obstruido</translation>
    </message>
    <message>
      <location filename="../readings.py" line="68" />
      <source>the measurement was stopped</source>
      <translation>la medición se detuvo</translation>
    </message>
    <message>
      <location filename="../readings.py" line="69" />
      <source>the cuff is loose or leaking</source>
      <translation>el manguito está flojo o pierde aire</translation>
    </message>
    <message>
      <location filename="../readings.py" line="71" />
      <source>the cuff pressure was too high</source>
      <translation>la presión del manguito era demasiado alta</translation>
    </message>
    <message>
      <location filename="../readings.py" line="72" />
      <source>the value was not stable</source>
      <translation>el valor no era estable</translation>
    </message>
    <message>
      <location filename="../readings.py" line="73" />
      <source>more than the scale can weigh</source>
      <translation>más de lo que la báscula puede pesar</translation>
    </message>
    <message>
      <location filename="../readings.py" line="76" />
      <source>device code {code}</source>
      <translation>código del aparato {code}</translation>
    </message>
    <message>
      <location filename="../readings.py" line="131" />
      <source>{name}: {value}</source>
      <translation>{name}: {value}</translation>
    </message>
    <message>
      <location filename="../readings.py" line="137" />
      <source>{name}: no valid measurement ({reason})</source>
      <translation>{name}: no hay medición válida ({reason})</translation>
    </message>
    <message>
      <location filename="../readings.py" line="148" />
      <source>Device: {device}</source>
      <translation>Aparato: {device}</translation>
    </message>
    <message>
      <location filename="../readings.py" line="201" />
      <source>Your measurements</source>
      <translation>Sus mediciones</translation>
    </message>
    <message>
      <location filename="../readings.py" line="217" />
      <source>Measuring now</source>
      <translation>Midiendo ahora</translation>
    </message>
    <message>
      <location filename="../readings.py" line="231" />
      <source>No measurement yet.</source>
      <translation>Todavía no hay mediciones.</translation>
    </message>
    <message>
      <location filename="../readings.py" line="150" />
      <source>blood pressure monitor</source>
      <translation>tensiómetro</translation>
    </message>
    <message>
      <location filename="../readings.py" line="151" />
      <source>thermometer</source>
      <translation>termómetro</translation>
    </message>
    <message>
      <location filename="../readings.py" line="153" />
      <source>scale</source>
      <translation>báscula</translation>
    </message>
    <message>
      <location filename="../readings.py" line="154" />
      <source>pulse oximeter</source>
      <translation>pulsioxímetro</translation>
    </message>
    <message>
      <location filename="../readings.py" line="159" />
      <source>measuring device</source>
      <translation>aparato de medición</translation>
    </message>
  </context>
  <context>
    <name>Screen</name>
    <message>
      <location filename="../screens/base.py" line="205" />
      <source>Call staff</source>
      <translation>Llamar al personal</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="207" />
      <source>More time</source>
      <translation>Más tiempo</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="244" />
      <source>High contrast</source>
      <translation>Alto contraste</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="247" />
      <source>Read aloud</source>
      <translation>Leer en voz alta</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/base.py" line="320" />
      <source>This screen will close in %n seconds.</source>
      <translation>
        <numerusform>Esta pantalla se cerrará en %n segundo.</numerusform>
        <numerusform>Esta pantalla se cerrará en %n segundos.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="275" />
      <source>Do you need more time?</source>
      <translation>¿Necesita más tiempo?</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="310" />
      <source>The staff has been called. Please stay here: someone will come.</source>
      <translation>Hemos llamado al personal. Por favor, quédese aquí: alguien vendrá.</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="314" />
      <source>Someone is on their way to help you.</source>
      <translation>Alguien está en camino para ayudarle.</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="316" />
      <source>We could not call the staff from here. Please go to the reception desk, or ask someone nearby.</source>
      <translation>No hemos podido llamar al personal desde aquí. Por favor, vaya a la recepción o pida ayuda a alguien que esté cerca.</translation>
    </message>
    <message>
      <location filename="../screens/base.py" line="303" />
      <source>This screen is read aloud</source>
      <translation>Esta pantalla se lee en voz alta</translation>
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
      <translation>FALLO</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="180" />
      <source>Logs of {name}:</source>
      <translation>Registro de {name}:</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="181" />
      <source>(no log line)</source>
      <translation>(ninguna línea de registro)</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="188" />
      <source>No printer is set up in this kiosk.</source>
      <translation>No hay ninguna impresora configurada en este quiosco.</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="216" />
      <source>Technician mode</source>
      <translation>Modo técnico</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="219" />
      <source>Check</source>
      <translation>Comprobación</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="220" />
      <source>Result</source>
      <translation>Resultado</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="221" />
      <source>Detail</source>
      <translation>Detalle</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="225" />
      <source>Cabin {cabin} · version {version}</source>
      <translation>Cabina {cabin} · versión {version}</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="230" />
      <source>Running the self-tests…</source>
      <translation>Ejecutando las autopruebas…</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/technician.py" line="314" />
      <source>%n of {total} checks failed.</source>
      <translation>
        <numerusform>Falló %n de {total} comprobaciones.</numerusform>
        <numerusform>Fallaron %n de {total} comprobaciones.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="240" />
      <source>Test print: {message}</source>
      <translation>Impresión de prueba: {message}</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="243" />
      <source>Run the self-tests</source>
      <translation>Ejecutar las autopruebas</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="244" />
      <source>Print a test page</source>
      <translation>Imprimir una página de prueba</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="245" />
      <source>Back to the patient screen</source>
      <translation>Volver a la pantalla del paciente</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="246" />
      <source>Exit to the desktop</source>
      <translation>Salir al escritorio</translation>
    </message>
    <message>
      <location filename="../screens/technician.py" line="211" />
      <source>What to do: {hint}</source>
      <translation>Qué hacer: {hint}</translation>
    </message>
  </context>
  <context>
    <name>WaitingRoom</name>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Yes, I'm here</source>
      <translation>Sí, estoy aquí</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Keep waiting</source>
      <translation>Seguir esperando</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>How to book a consultation</source>
      <translation>Cómo pedir cita</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>We are sorry</source>
      <translation>Lo sentimos</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>The cabin is closed at this hour: no doctor can see you now.</source>
      <translation>La cabina está cerrada a esta hora: ningún médico puede atenderle ahora.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>No doctor is on duty right now.</source>
      <translation>Ahora mismo no hay ningún médico disponible.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>The doctor has not come yet: the wait is longer than expected.</source>
      <translation>El médico todavía no ha llegado: la espera es más larga de lo previsto.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>You can keep waiting: you keep your place in the queue. You can also call the staff, or book a consultation.</source>
      <translation>Puede seguir esperando: conserva su lugar en la cola. También puede llamar al personal o pedir cita.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Ask the staff at the desk, or book a consultation at {site}.</source>
      <translation>Pregunte al personal de la recepción o pida cita en {site}.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Ask the staff at the desk to book a consultation.</source>
      <translation>Pida al personal de la recepción que le dé una cita.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="1" />
      <source>Are you still there?</source>
      <translation>¿Sigue usted ahí?</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/waiting_room.py" line="102" />
      <source>Without an answer, you will leave the queue in %n seconds.</source>
      <translation>
        <numerusform>Sin respuesta, saldrá de la fila de espera en %n segundo.</numerusform>
        <numerusform>Sin respuesta, saldrá de la fila de espera en %n segundos.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="58" />
      <location filename="../screens/goodbye.py" line="65" />
      <location filename="../screens/booking_code.py" line="287" />
      <source>This cabin sees patients with an appointment only. Book at {site} or ask the staff at the desk.</source>
      <translation>Esta cabina solo atiende con cita. Pida cita en {site} o pregunte en la recepción.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="63" />
      <location filename="../screens/goodbye.py" line="69" />
      <location filename="../screens/booking_code.py" line="292" />
      <source>the booking site</source>
      <translation>el sitio de citas</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="53" />
      <source>Your appointment is at {time}. Patients with an appointment are seen first.</source>
      <translation>Su cita es a las {time}. Los pacientes con cita pasan primero.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="76" />
      <source>You are next.</source>
      <translation>Usted es el siguiente.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="79" />
      <source>Your place in the queue: {n}.</source>
      <translation>Su lugar en la cola: {n}.</translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/waiting_room.py" line="92" />
      <source>Expected wait: about %n minutes.</source>
      <translation>
        <numerusform>Espera prevista: aproximadamente %n minuto.</numerusform>
        <numerusform>Espera prevista: aproximadamente %n minutos.</numerusform>
      </translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="92" />
      <source>A doctor will see you soon</source>
      <translation>Un médico le atenderá pronto</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="94" />
      <source>Please stay seated. The doctor will appear on this screen.</source>
      <translation>Permanezca sentado. El médico aparecerá en esta pantalla.</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="99" />
      <source>While you wait, please get ready:</source>
      <translation>Mientras espera, prepare:</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="100" />
      <source>an identity document (ID card, passport)</source>
      <translation>un documento de identidad (DNI, pasaporte)</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="101" />
      <source>your medicines or your last prescription</source>
      <translation>sus medicamentos o su última receta</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="102" />
      <source>your glasses, if you need them</source>
      <translation>sus gafas, si las necesita</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="107" />
      <source>Sick note: after a video consultation, time off work is limited to 3 days, unless the doctor is your declared GP (médecin traitant).</source>
      <translation>Baja laboral: tras una consulta por vídeo, está limitada a 3 días, salvo si el médico es su médico de cabecera declarado (médecin traitant).</translation>
    </message>
    <message>
      <location filename="../screens/waiting_room.py" line="113" />
      <source>Leave without a consultation</source>
      <translation>Irse sin consulta</translation>
    </message>
  </context>
  <context>
    <name>Wiping</name>
    <message>
      <location filename="../screens/wiping.py" line="14" />
      <source>Erasing the consultation's data…</source>
      <translation>Borrando los datos de la consulta…</translation>
    </message>
    <message>
      <location filename="../screens/wiping.py" line="15" />
      <source>Nothing about you stays in the cabin.</source>
      <translation>Nada sobre usted se queda en la cabina.</translation>
    </message>
  </context>
  <context>
    <name>Chat</name>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>Yes</source>
      <translation>Sí</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>No</source>
      <translation>No</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>I can't hear</source>
      <translation>No oigo</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>Please repeat</source>
      <translation>Repita</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>The doctor writes to you:</source>
      <translation>El médico le escribe:</translation>
    </message>
    <message>
      <location filename="../screens/chat.py" line="1" />
      <source>You answered: {answer}</source>
      <translation>Ha respondido: {answer}</translation>
    </message>
  </context>
  <context>
    <name>Nurse</name>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Nurse</source>
      <translation>Enfermero/a</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Doctor</source>
      <translation>Médico/a</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Midwife</source>
      <translation>Matrona</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Pharmacist</source>
      <translation>Farmacéutico/a</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Other health professional</source>
      <translation>Otro profesional sanitario</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>RPPS number</source>
      <translation>Número RPPS</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>First and last name</source>
      <translation>Nombre y apellidos</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Profession</source>
      <translation>Profesión</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>11 digits</source>
      <translation>11 cifras</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Sign in for the shift</source>
      <translation>Iniciar el turno</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Sign out</source>
      <translation>Cerrar sesión</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Patient without a card</source>
      <translation>Paciente sin tarjeta</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Devices</source>
      <translation>Dispositivos</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Continue to the consent</source>
      <translation>Pasar al consentimiento</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Back</source>
      <translation>Volver</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Where the patient is seen</source>
      <translation>Lugar de la consulta</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type your RPPS number, your name and your profession. They are kept until you sign out or the day ends.</source>
      <translation>Escriba su número RPPS, su nombre y su profesión. Se guardan hasta que cierre la sesión o termine el día.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type the identity from the patient's ID document, in any alphabet.</source>
      <translation>Escriba la identidad según el documento de identidad del paciente, en cualquier alfabeto.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Next patient</source>
      <translation>Siguiente paciente</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Assisting: {name}, {profession}, RPPS {rpps}</source>
      <translation>De servicio: {name}, {profession}, RPPS {rpps}</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Insert the patient's Carte Vitale in the reader.</source>
      <translation>Inserte la Carte Vitale del paciente en el lector.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>CPS recognised — reading it needs its PIN code: type your RPPS number. This version does not ask for the PIN, so the card's data is not read.</source>
      <translation>CPS reconocida — leerla requiere su código PIN: escriba su número RPPS. Esta versión no pide el PIN, así que los datos de la tarjeta no se leen.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This is a health professional card (CPS), not a Carte Vitale. Remove it and insert the patient's Carte Vitale.</source>
      <translation>Es una tarjeta de profesional sanitario (CPS), no una Carte Vitale. Retírela e inserte la Carte Vitale del paciente.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This is a Carte Vitale: the patient's card comes after you sign in. Remove it, then sign in with your RPPS number.</source>
      <translation>Es una Carte Vitale: la tarjeta del paciente va después de iniciar sesión. Retírela e inicie sesión con su número RPPS.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This card is neither a Carte Vitale nor a CPS, or it cannot be read.</source>
      <translation>Esta tarjeta no es ni una Carte Vitale ni una CPS, o no se puede leer.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>The day is over: sign in again for today's shift.</source>
      <translation>El día ha terminado: vuelva a iniciar sesión para el turno de hoy.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>The RPPS number has 11 digits.</source>
      <translation>El número RPPS tiene 11 cifras.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This RPPS number is not valid (its last digit does not match): check it.</source>
      <translation>Este número RPPS no es válido (su última cifra no coincide): compruébelo.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type your name.</source>
      <translation>Escriba su nombre.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>A name has letters only (and spaces, hyphens, apostrophes).</source>
      <translation>Un nombre solo tiene letras (y espacios, guiones, apóstrofos).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>This is not possible now: try again in a moment.</source>
      <translation>No es posible ahora: inténtelo de nuevo en un momento.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Health centre</source>
      <translation>Centro de salud</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Patient's home</source>
      <translation>Domicilio del paciente</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Other place</source>
      <translation>Otro lugar</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type the patient's last name (letters only).</source>
      <translation>Escriba el apellido del paciente (solo letras).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Type the patient's first name (letters only).</source>
      <translation>Escriba el nombre del paciente (solo letras).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>The birth date is a real date, as {pattern} (for example {example}).</source>
      <translation>La fecha de nacimiento es una fecha real, en formato {pattern} (por ejemplo {example}).</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>DD/MM/YYYY</source>
      <translation>DD/MM/AAAA</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Choose the patient's sex.</source>
      <translation>Elija el sexo del paciente.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Last name</source>
      <translation>Apellidos</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>First name</source>
      <translation>Nombre</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Birth date</source>
      <translation>Fecha de nacimiento</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Sex</source>
      <translation>Sexo</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Choose…</source>
      <translation>Elegir…</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Female</source>
      <translation>Femenino</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Male</source>
      <translation>Masculino</translation>
    </message>
    <message>
      <location filename="../screens/nurse_signin.py" line="1" />
      <source>Your answer is recorded with {name} ({profession}) present.</source>
      <translation>Su respuesta se registra en presencia de {name} ({profession}).</translation>
    </message>
  </context>
  <context>
    <name>ExamGuide</name>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Put the otoscope gently into your left ear</source>
      <translation>Introduzca con cuidado el otoscopio en su oído izquierdo</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Put the otoscope gently into your right ear</source>
      <translation>Introduzca con cuidado el otoscopio en su oído derecho</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Open your mouth wide, the camera in front of it</source>
      <translation>Abra bien la boca, con la cámara delante</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Hold the camera close to the skin the doctor wants to see</source>
      <translation>Sostenga la cámara cerca de la piel que el médico quiere ver</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Place the stethoscope on point {n}</source>
      <translation>Coloque el estetoscopio en el punto {n}</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Place the stethoscope on point {n}, on the chest</source>
      <translation>Coloque el estetoscopio en el punto {n}, en el pecho</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Place the stethoscope on point {n}, on the back</source>
      <translation>Coloque el estetoscopio en el punto {n}, en la espalda</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>A little higher</source>
      <translation>Un poco más arriba</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>A little lower</source>
      <translation>Un poco más abajo</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Hold still</source>
      <translation>No se mueva</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Breathe in deeply</source>
      <translation>Respire hondo</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Cough</source>
      <translation>Tosa</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>Hold your breath</source>
      <translation>Aguante la respiración</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>That's it, thank you</source>
      <translation>Ya está, gracias</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The doctor is listening: the loudspeaker is off</source>
      <translation>El médico está escuchando: el altavoz está apagado</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The exam camera is off</source>
      <translation>La cámara de exploración está apagada</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The exam camera is not responding: the doctor has been told</source>
      <translation>La cámara de exploración no responde: el médico está avisado</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>The stethoscope is not responding: the doctor has been told</source>
      <translation>El estetoscopio no responde: el médico está avisado</translation>
    </message>
    <message>
      <location filename="../screens/exam_guide.py" line="1" />
      <source>What the doctor sees</source>
      <translation>Lo que ve el médico</translation>
    </message>
  </context>
  <context>
    <name>Pairing</name>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Blood pressure monitor</source>
      <translation>Tensiómetro</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Thermometer</source>
      <translation>Termómetro</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Scale</source>
      <translation>Báscula</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Pulse oximeter</source>
      <translation>Pulsioxímetro</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Other device</source>
      <translation>Otro dispositivo</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>This cuff is paired with another device (a phone?): erase its pairing (see its manual), then try again.</source>
      <translation>Este manguito está emparejado con otro dispositivo (¿un teléfono?): borre su emparejamiento (vea su manual) y vuelva a intentarlo.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>The device is no longer seen: switch it on, bring it closer, search again.</source>
      <translation>El dispositivo ya no se ve: enciéndalo, acérquelo y busque de nuevo.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>The device did not answer in time: try again.</source>
      <translation>El dispositivo no respondió a tiempo: inténtelo de nuevo.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>This did not work: try again. If it goes on, call support.</source>
      <translation>No ha funcionado: inténtelo de nuevo. Si continúa, llame al soporte.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Paired</source>
      <translation>Emparejado</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Battery {level}</source>
      <translation>Batería {level}</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Last reading at {time}</source>
      <translation>Última medición a las {time}</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Search</source>
      <translation>Buscar</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Pair</source>
      <translation>Emparejar</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Forget</source>
      <translation>Olvidar</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Searching… switch the device on.</source>
      <translation>Buscando… encienda el dispositivo.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Please wait…</source>
      <translation>Espere…</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Devices found: {count}. Choose one.</source>
      <translation>Dispositivos encontrados: {count}. Elija uno.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>No device found: switch it on and search again.</source>
      <translation>Ningún dispositivo encontrado: enciéndalo y busque de nuevo.</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>The kit's devices</source>
      <translation>Los dispositivos del maletín</translation>
    </message>
    <message>
      <location filename="../screens/nurse_pairing.py" line="1" />
      <source>Switch the device on and put it in pairing mode (see its manual), then search.</source>
      <translation>Encienda el dispositivo y póngalo en modo de emparejamiento (vea su manual); luego busque.</translation>
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
      <translation>en consulta</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>not connected</source>
      <translation>no conectado</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Which doctor do you call?</source>
      <translation>¿A qué médico llama?</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>This doctor cannot be called (no longer registered). Choose another one, or join the waiting room.</source>
      <translation>No se puede llamar a este médico (ya no está registrado). Elija otro o únase a la sala de espera.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>The list of doctors could not be loaded. Try again, or join the waiting room.</source>
      <translation>No se pudo cargar la lista de médicos. Vuelva a intentarlo o únase a la sala de espera.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Loading the list of doctors…</source>
      <translation>Cargando la lista de médicos…</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Choose the doctor to call, or join the waiting room: the first doctor free will see the patient.</source>
      <translation>Elija el médico al que llamar o únase a la sala de espera: el primer médico libre atenderá al paciente.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Waiting for {name}</source>
      <translation>Esperando a {name}</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>{name} is not connected right now. You can keep waiting, or join the waiting room: any doctor on duty can then see the patient.</source>
      <translation>{name} no está conectado en este momento. Puede seguir esperando o unirse a la sala de espera: así cualquier médico de servicio podrá atender al paciente.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>{name} is in a consultation and will see the patient after it. Please stay seated.</source>
      <translation>{name} está en consulta y atenderá al paciente después. Permanezca sentado, por favor.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>{name} sees the patient first in their list. Please stay seated: they will appear on this screen.</source>
      <translation>El paciente está el primero en la lista de {name}. Permanezca sentado: el médico aparecerá en esta pantalla.</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Try again</source>
      <translation>Reintentar</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Join the waiting room</source>
      <translation>Unirse a la sala de espera</translation>
    </message>
    <message>
      <location filename="../screens/doctor_choice.py" line="1" />
      <source>Join the waiting room instead</source>
      <translation>Mejor unirse a la sala de espera</translation>
    </message>
  </context>
</TS>
