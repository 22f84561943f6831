<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="en">
  <context>
    <name>InCall</name>
    <message numerus="yes">
      <location filename="../screens/in_call.py" line="93" />
      <source>The consultation will stop in %n seconds.</source>
      <translation>
        <numerusform>The consultation will stop in %n second.</numerusform>
        <numerusform>The consultation will stop in %n seconds.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Pin</name>
    <message numerus="yes">
      <location filename="../screens/pin.py" line="161" />
      <source>Too many wrong codes. Try again in %n seconds.</source>
      <translation>
        <numerusform>Too many wrong codes. Try again in %n second.</numerusform>
        <numerusform>Too many wrong codes. Try again in %n seconds.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Screen</name>
    <message numerus="yes">
      <location filename="../screens/base.py" line="320" />
      <source>This screen will close in %n seconds.</source>
      <translation>
        <numerusform>This screen will close in %n second.</numerusform>
        <numerusform>This screen will close in %n seconds.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Technician</name>
    <message numerus="yes">
      <location filename="../screens/technician.py" line="314" />
      <source>%n of {total} checks failed.</source>
      <translation>
        <numerusform>%n of {total} checks failed.</numerusform>
        <numerusform>%n of {total} checks failed.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>WaitingRoom</name>
    <message numerus="yes">
      <location filename="../screens/waiting_room.py" line="102" />
      <source>Without an answer, you will leave the queue in %n seconds.</source>
      <translation>
        <numerusform>Without an answer, you will leave the queue in %n second.</numerusform>
        <numerusform>Without an answer, you will leave the queue in %n seconds.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/waiting_room.py" line="92" />
      <source>Expected wait: about %n minutes.</source>
      <translation>
        <numerusform>Expected wait: about %n minute.</numerusform>
        <numerusform>Expected wait: about %n minutes.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Fault</name>
    <message numerus="yes">
      <location filename="../screens/fault.py" line="119" />
      <source>Your papers could not be printed. They are kept for %n minutes: the staff will print them for you.
Press “Call staff”, or if you leave now, ask at the desk.</source>
      <translation>
        <numerusform>Your papers could not be printed. They are kept for %n minute: the staff will print them for you.
Press “Call staff”, or if you leave now, ask at the desk.</numerusform>
        <numerusform>Your papers could not be printed. They are kept for %n minutes: the staff will print them for you.
Press “Call staff”, or if you leave now, ask at the desk.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="../screens/fault.py" line="119" />
      <source>Leave without your papers?
Ask at the desk: the staff can print them for you for %n minutes. After that, they are erased.</source>
      <translation>
        <numerusform>Leave without your papers?
Ask at the desk: the staff can print them for you for %n minute. After that, they are erased.</numerusform>
        <numerusform>Leave without your papers?
Ask at the desk: the staff can print them for you for %n minutes. After that, they are erased.</numerusform>
      </translation>
    </message>
  </context>
</TS>
