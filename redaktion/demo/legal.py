"""Impressum and Datenschutzerklärung of the fictional demo publisher.

Both pages say plainly that publisher, people and stories are invented; a real title
replaces them with its own legal texts before going live.
"""

IMPRESSUM_TITLE = "Impressum"
IMPRESSUM_SLUG = "impressum"
IMPRESSUM_HTML = """
<p><b>Hinweis:</b> Diese Website ist eine Demo-Installation der Publishing-Software
„Redaktion“. Verlag, Redaktion, Personen, Unternehmen und Meldungen sind frei erfunden.
Ähnlichkeiten mit tatsächlichen Personen oder Unternehmen sind nicht beabsichtigt.</p>
<h2>Angaben gemäß § 5 DDG</h2>
<p>Redaktion Nachrichten Demo-Verlag GmbH (fiktiv)<br/>Beispielweg 1<br/>
12345 Musterstadt</p>
<p>Handelsregister: HRB 00000, Amtsgericht Musterstadt (fiktiv)<br/>
Vertreten durch die Geschäftsführerin Erika Beispiel</p>
<h2>Kontakt</h2>
<p>Telefon: 000 000000-0 (kein echter Anschluss)<br/>
E-Mail: redaktion@example.org</p>
<h2>Redaktionell verantwortlich</h2>
<p>Verantwortlich im Sinne von § 18 Abs. 2 MStV: Jonas Wiedemeyer, Anschrift wie oben.</p>
<h2>Umsatzsteuer</h2>
<p>Umsatzsteuer-Identifikationsnummer gemäß § 27a UStG: DE000000000 (fiktiv)</p>
<h2>Bildnachweise</h2>
<p>Alle Bilder und Grafiken dieser Demo wurden von der Software selbst erzeugt. Die
Bildagentur Nord, die in einigen Bildnachweisen genannt wird, gibt es nicht.</p>
<h2>Gastbeiträge</h2>
<p>Gastbeiträge geben die Meinung ihrer Autorinnen und Autoren wieder, nicht
notwendigerweise die der Redaktion.</p>
<h2>Streitschlichtung</h2>
<p>Wir sind nicht bereit und nicht verpflichtet, an Streitbeilegungsverfahren vor einer
Verbraucherschlichtungsstelle teilzunehmen.</p>
"""

DATENSCHUTZ_TITLE = "Datenschutz"
DATENSCHUTZ_SLUG = "datenschutz"
DATENSCHUTZ_HTML = """
<p><b>Hinweis:</b> Dies ist die Datenschutzerklärung einer Demo-Installation. Ein Verlag,
der die Software betreibt, ersetzt sie durch eine Erklärung, die seine tatsächliche
Verarbeitung beschreibt.</p>
<h2>Verantwortliche Stelle</h2>
<p>Verantwortlich für die Verarbeitung personenbezogener Daten auf dieser Website ist die
im <a href="/impressum/">Impressum</a> genannte Redaktion Nachrichten Demo-Verlag GmbH
(fiktiv), erreichbar unter datenschutz@example.org.</p>
<h2>Aufruf der Website</h2>
<p>Beim Aufruf einer Seite verarbeitet der Server technisch notwendige Daten: IP-Adresse,
Zeitpunkt, aufgerufene Adresse, übertragene Datenmenge und die Kennung des Browsers.
Rechtsgrundlage ist Art. 6 Abs. 1 lit. f DSGVO; unser berechtigtes Interesse liegt im
sicheren und stabilen Betrieb. Die Protokolle werden nach sieben Tagen gelöscht.</p>
<h2>Keine Werbe- und Analyse-Tracker</h2>
<p>Die Seiten laden keine Inhalte von Dritten, solange Sie nicht ausdrücklich zustimmen.
Eingebettete Videos oder Beiträge aus sozialen Netzwerken erscheinen erst, wenn Sie sie
mit einem Klick freigeben; erst dann wird eine Verbindung zum jeweiligen Anbieter
aufgebaut. Anzeigen werden ohne Profilbildung ausgeliefert und sind als „Anzeige“
gekennzeichnet.</p>
<h2>Lesezählung ohne Cookies</h2>
<p>Wie oft ein Artikel gelesen wird, zählen wir selbst, ohne Dienste Dritter und ohne
Cookies: Ist ein Artikel einige Sekunden lang sichtbar, sendet Ihr Browser die Nummer des
Artikels und den Namen der Website, von der Sie kamen (etwa „www.google.de“, nie die
vollständige Adresse), an unseren Server. Gespeichert werden nur Zahlen: Aufrufe je Artikel
und Stunde, aufgeteilt nach Herkunftswebsite. IP-Adresse und Browserkennung werden dafür
weder gespeichert noch protokolliert. Damit ein Neuladen nicht doppelt zählt, bildet der
Server aus ihnen für 30 Minuten einen Prüfwert mit einem täglich wechselnden Zufallsschlüssel,
der nur im Arbeitsspeicher liegt; aus ihm lässt sich die Adresse nicht zurückgewinnen.
Suchmaschinen, Vorschau-Abrufe und angemeldete Mitglieder der Redaktion werden nicht
gezählt. Aus den Zahlen entsteht die Liste „Meistgelesen“. Rechtsgrundlage ist Art. 6
Abs. 1 lit. f DSGVO; unser berechtigtes Interesse ist zu wissen, was gelesen wird, ohne
Leserinnen und Leser zu verfolgen. Ein Personenbezug entsteht nicht.</p>
<h2>Cookies</h2>
<p>Für Leserinnen und Leser setzen wir keine Cookies, die nicht technisch notwendig sind.
Ein Cookie wird nur gesetzt, wenn Sie ein Formular absenden (Schutz vor Fälschung von
Anfragen) oder sich als Mitglied der Redaktion anmelden.</p>
<h2>Benachrichtigungen und Newsletter</h2>
<p>Wenn Sie Benachrichtigungen zu Ressorts, Themen oder Autoren abonnieren, speichern wir
Ihre E-Mail-Adresse oder die Adresse Ihres Browsers für Web-Push sowie Ihre Auswahl. Ein
Abonnement per E-Mail wird erst wirksam, wenn Sie es über den Link in unserer
Bestätigungsmail bestätigen. Rechtsgrundlage ist Ihre Einwilligung (Art. 6 Abs. 1 lit. a
DSGVO), die Sie jederzeit über den Abmeldelink in jeder Nachricht widerrufen können.</p>
<h2>Ihre Rechte</h2>
<ul>
<li>Auskunft über die zu Ihrer Person gespeicherten Daten (Art. 15 DSGVO)</li>
<li>Berichtigung unrichtiger Daten (Art. 16 DSGVO)</li>
<li>Löschung und Einschränkung der Verarbeitung (Art. 17 und 18 DSGVO)</li>
<li>Datenübertragbarkeit (Art. 20 DSGVO)</li>
<li>Widerspruch gegen Verarbeitungen auf Grundlage berechtigter Interessen
(Art. 21 DSGVO)</li>
</ul>
<p>Sie haben außerdem das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu
beschweren.</p>
"""
