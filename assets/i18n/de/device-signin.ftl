# device-signin: Deutsch (übersetzt aus der englischen Quelldatei; Anrede „du“).
# Argumente: $provider (Name eines Anbieters), $name (wer angemeldet ist),
# $host (Hostname eines Servers), $device (Name dieses Fernsehers), $seconds und
# $minutes (ganze Zahlen), $detail (technischer Text, bleibt Englisch).

window-title = Anmelden

## Schaltflächen

action-new-code = Neuer Code
action-back = Zurück
action-try-again = Erneut versuchen
action-try-now = Jetzt versuchen
action-sign-out = Abmelden
action-cancel = Abbrechen
action-continue = Weiter
action-other-account = Anderes Konto

## Auswahl des Anbieters

choose-title = Anmelden
choose-prompt = Wähle aus, wo du ein Konto hast
choose-hint = Wähle mit den Pfeiltasten aus und drücke dann OK
tile-signed-in = Angemeldet
tile-signed-in-as = Angemeldet als { $name }
tile-demo = Demo

## Der Code-Bildschirm

code-title = Mit { $provider } anmelden
code-getting = Anmeldecode wird von { $provider } abgerufen…
code-device = Dieser Fernseher: { $device }
code-scan = Mit deinem Smartphone scannen
code-scan-hint = Kein Tippen nötig: Prüfe nur, ob der Code auf deinem Smartphone mit diesem übereinstimmt
code-or = oder
code-step-visit = Öffne
code-step-enter = Gib den Code ein
code-step-approve = Bestätige die Anmeldung auf deinem Smartphone
code-expires-in =
    { $minutes ->
        [one] Läuft in 1 Minute ab
       *[other] Läuft in { $minutes } Minuten ab
    }
code-last-minute = Weniger als eine Minute übrig
code-phishing = Gib diesen Code nur ein, wenn du gerade vor diesem Bildschirm sitzt. { $provider } fragt dich niemals per Telefon oder E-Mail danach.

## Statuszeilen auf dem Code-Bildschirm: ruhig, nichts zu tun

status-waiting = Warten auf deine Bestätigung
status-checking = Es wird geprüft, ob du bestätigt hast
status-offline =
    { $seconds ->
        [one] Zurzeit keine Verbindung zum Server. Neuer Versuch in 1 Sekunde
       *[other] Zurzeit keine Verbindung zum Server. Neuer Versuch in { $seconds } Sekunden
    }
status-approved = Bestätigt. Anmeldung wird abgeschlossen…
status-renewed = Der letzte Code ist abgelaufen. Hier ist ein neuer
status-slow-down =
    { $seconds ->
        [one] Der Server möchte seltener abgefragt werden: jetzt jede Sekunde
       *[other] Der Server möchte seltener abgefragt werden: jetzt alle { $seconds } Sekunden
    }

## Hinweise über dem Code

notice-signed-out-here = Du wurdest auf diesem Fernseher bei { $provider } abgemeldet
notice-ended = Deine Anmeldung bei { $provider } wurde beendet
notice-signed-out-not-confirmed = Auf diesem Fernseher abgemeldet, aber { $provider } hat es nicht bestätigt ({ $detail })
notice-signed-out-no-revocation = Auf diesem Fernseher abgemeldet ({ $provider } bietet keine Möglichkeit, die Anmeldung dort zu beenden)
notice-signed-out-who = { $name } wurde bei { $provider } abgemeldet
notice-signed-out = Bei { $provider } abgemeldet

## Ergebnisse

expired-title = Der Code ist abgelaufen
expired-renew-in =
    { $seconds ->
        [one] Ein neuer Code kommt in 1 Sekunde
       *[other] Ein neuer Code kommt in { $seconds } Sekunden
    }
expired-press-ok = Drücke OK für einen neuen Code
declined-title = Die Anmeldung wurde auf dem anderen Gerät abgelehnt
declined-nobody = Bei { $provider } war niemand angemeldet.
signed-in = Angemeldet
signed-in-as = Angemeldet als { $name }
signed-in-with = mit { $provider }
signed-in-offline =
    { $seconds ->
        [one] Keine Verbindung zu { $provider }, um die Anmeldung zu erneuern. Neuer Versuch in 1 Sekunde
       *[other] Keine Verbindung zu { $provider }, um die Anmeldung zu erneuern. Neuer Versuch in { $seconds } Sekunden
    }
continuing-in =
    { $seconds ->
        [one] Weiter in 1 Sekunde
       *[other] Weiter in { $seconds } Sekunden
    }
restoring-welcome = Willkommen zurück
restoring-welcome-who = Willkommen zurück, { $name }
restoring-checking = Deine Anmeldung bei { $provider } wird geprüft…
restoring-offline = Keine Verbindung zu { $provider }. Deine Anmeldung bleibt erhalten
trying-again-in =
    { $seconds ->
        [one] Neuer Versuch in 1 Sekunde
       *[other] Neuer Versuch in { $seconds } Sekunden
    }
sign-out-question-who = { $name } bei { $provider } abmelden?
sign-out-question = Bei { $provider } abmelden?
sign-out-afterwards = Danach musst du dich auf diesem Fernseher neu anmelden
signing-out = Abmeldung bei { $provider }…
signing-out-asking = { $provider } wird gebeten, die Anmeldung zu beenden
problem-retrying-in =
    { $seconds ->
        [one] Automatischer neuer Versuch in 1 Sekunde
       *[other] Automatischer neuer Versuch in { $seconds } Sekunden
    }

## Probleme: eine einfache Überschrift, dann ein Schritt

problem-declined = Anmeldung abgelehnt
problem-expired = Der Code ist abgelaufen
problem-ended = Deine Anmeldung bei { $provider } wurde beendet
problem-tls = Keine sichere Verbindung zu { $host } möglich
problem-timeout = { $host } antwortet nicht
problem-dns = { $host } wurde im Netzwerk nicht gefunden
problem-unusable = { $provider } hat eine Antwort gesendet, die diese App nicht verarbeiten kann
problem-no-tls = Dieses Gerät kann keine sicheren Verbindungen herstellen
problem-unreachable = { $host } ist nicht erreichbar
problem-wrong-address = Die Anmeldeadresse für { $provider } ist falsch
problem-refused-app = { $provider } hat diese App abgelehnt
problem-busy = { $provider } ist gerade ausgelastet
problem-trouble = Bei { $provider } gibt es gerade Probleme
problem-refused-request = { $provider } hat die Anfrage abgelehnt
problem-not-enabled = Diese App ist bei { $provider } nicht für die Geräteanmeldung freigeschaltet
problem-unknown-app = { $provider } kennt diese App nicht
problem-scope = { $provider } hat die von dieser App angeforderten Berechtigungen abgelehnt
problem-refused-sign-in = { $provider } hat die Anmeldung abgelehnt
problem-settings = Die Anmeldeeinstellungen für { $provider } sind unvollständig
problem-store = Die Anmeldung kann auf diesem Gerät nicht gespeichert werden

next-new-code = Drücke OK, um einen neuen Code zu erhalten
next-sign-in-again = Melde dich erneut an, um fortzufahren
next-check-internet = Prüfe, ob der Fernseher mit dem Internet verbunden ist
next-check-clock = Prüfe, ob Datum und Uhrzeit des Fernsehers stimmen
next-wait = Warte ein paar Minuten und versuche es dann erneut
next-ask-admin = Bitte die Person, die diesen Fernseher eingerichtet hat, die Anmeldeeinstellungen zu prüfen
next-ask-admin-storage = Bitte die Person, die diesen Fernseher eingerichtet hat, den Speicher zu prüfen

## Einfaches `login` im Terminal

login-start = Anmeldung mit { $provider }…
login-start-demo = Anmeldung mit { $provider } (Demo)…
login-go-to = Rufe auf deinem Smartphone oder Computer diese Adresse auf:
login-enter = und gib den Code ein:
login-scan = Oder scanne diesen QR-Code:
login-expires-waiting =
    { $minutes ->
        [one] Der Code läuft in 1 Minute ab. Warten auf Bestätigung…
       *[other] Der Code läuft in { $minutes } Minuten ab. Warten auf Bestätigung…
    }
login-checking = wird geprüft…
login-slow-down =
    { $seconds ->
        [one] der Server möchte seltener abgefragt werden: jetzt jede Sekunde
       *[other] der Server möchte seltener abgefragt werden: jetzt alle { $seconds } Sekunden
    }
login-offline =
    { $seconds ->
        [one] keine Verbindung ({ $detail }); neuer Versuch in 1 Sekunde
       *[other] keine Verbindung ({ $detail }); neuer Versuch in { $seconds } Sekunden
    }
login-approved = bestätigt; Antwort wird geprüft…
login-signed-in = Angemeldet als { $name } mit { $provider }.
login-unnamed = ein Konto ohne Namen
login-declined = Die Anmeldung wurde auf dem anderen Gerät abgelehnt.
login-expired = Der Code ist abgelaufen, bevor er bestätigt wurde. Führe login erneut aus, um einen neuen zu erhalten.
login-interrupted = Unterbrochen: Anmeldung abgebrochen.
