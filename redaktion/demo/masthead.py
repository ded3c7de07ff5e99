"""Who and what the demo newsroom is: brand, Ressorts, topics and authors.

Everything here is invented for the demo: the publisher, the people and the companies in
the stories. Public institutions appear only in generic roles.
"""

from dataclasses import dataclass

BRAND_NAME = "Redaktion Nachrichten"
BRAND_SHORT_NAME = "RN"
BRAND_TAGLINE = "Politik, Wirtschaft und Gesellschaft – eine Demo-Ausgabe"
DEMO_COLLECTION = "Demo"
LEAD_STORY = "haushalt-einigung-nachtsitzung"


@dataclass(frozen=True)
class RessortSpec:
    slug: str
    title: str
    description: str


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class AuthorSpec:
    slug: str
    name: str
    role: str
    bio: str
    ressort: str
    is_guest: bool = False


# In menu order.
RESSORTS = (
    RessortSpec(
        "politik",
        "Politik",
        "Bundespolitik, Europa und die Welt: Entscheidungen aus Berlin und Brüssel, "
        "Sicherheitspolitik und die Debatten, die das Land bewegen.",
    ),
    RessortSpec(
        "wirtschaft",
        "Wirtschaft",
        "Konjunktur, Energie, Arbeitsmarkt und Handel: wie sich die deutsche und die "
        "europäische Wirtschaft entwickeln.",
    ),
    RessortSpec(
        "finanzen",
        "Finanzen",
        "Zinsen, Börse, Geldanlage und Immobilien: was Notenbanken und Märkte bewegen und "
        "was das für Sparer bedeutet.",
    ),
    RessortSpec(
        "unternehmen",
        "Unternehmen",
        "Konzerne, Mittelstand und Gründer: Bilanzen, Strategien, Standorte und Arbeitsplätze.",
    ),
    RessortSpec(
        "technologie",
        "Technologie",
        "Künstliche Intelligenz, Chips, Netze und Mobilität: wie neue Technik Wirtschaft "
        "und Alltag verändert.",
    ),
    RessortSpec(
        "wissenschaft",
        "Wissenschaft",
        "Forschung aus Klima, Medizin und Raumfahrt – verständlich erklärt.",
    ),
    RessortSpec(
        "panorama",
        "Panorama",
        "Verkehr, Wetter, Wohnen und Gesellschaft: was die Menschen im Land beschäftigt.",
    ),
)

TOPICS = (
    TopicSpec(
        "energiewende",
        "Energiewende",
        "Der Umbau der Energieversorgung auf Wind, Sonne und Speicher – Kosten, Tempo und "
        "Streitpunkte.",
    ),
    TopicSpec(
        "stromnetze",
        "Stromnetze",
        "Übertragungs- und Verteilnetze, Netzentgelte und der Ausbau der Leitungen, die "
        "Ökostrom vom Norden in den Süden bringen.",
    ),
    TopicSpec(
        "wasserstoff",
        "Wasserstoff",
        "Elektrolyse, Importe und Leitungen: welche Rolle Wasserstoff für Industrie und "
        "Klimaschutz spielen soll.",
    ),
    TopicSpec(
        "klimaschutz",
        "Klimaschutz",
        "Klimaziele, Emissionen und die Maßnahmen, mit denen Deutschland und Europa sie "
        "erreichen wollen.",
    ),
    TopicSpec(
        "zinsen",
        "Zinsen",
        "Leitzins, Bauzinsen, Tagesgeld: wie sich das Zinsniveau auf Sparer, Kreditnehmer "
        "und Banken auswirkt.",
    ),
    TopicSpec(
        "ezb",
        "EZB",
        "Die Europäische Zentralbank, ihre Zinsentscheidungen und ihr Kampf um stabile "
        "Preise im Euroraum.",
    ),
    TopicSpec(
        "inflation",
        "Inflation",
        "Verbraucherpreise, Kaufkraft und die Frage, wann die Teuerung wieder beim Ziel "
        "von zwei Prozent liegt.",
    ),
    TopicSpec(
        "konjunktur",
        "Konjunktur",
        "Wachstum, Prognosen und Stimmung in der deutschen Wirtschaft.",
    ),
    TopicSpec(
        "bundeshaushalt",
        "Bundeshaushalt",
        "Einnahmen, Ausgaben und Verhandlungen über den Etat des Bundes.",
    ),
    TopicSpec(
        "schuldenbremse",
        "Schuldenbremse",
        "Die Regel im Grundgesetz, die neue Kredite begrenzt – und der Streit über ihre Reform.",
    ),
    TopicSpec(
        "nato",
        "Nato",
        "Das transatlantische Bündnis, seine Gipfel, Verteidigungspläne und Ausgabenziele.",
    ),
    TopicSpec(
        "bundeswehr",
        "Bundeswehr",
        "Ausrüstung, Personal und Auftrag der deutschen Streitkräfte.",
    ),
    TopicSpec(
        "europaeische-union",
        "Europäische Union",
        "Entscheidungen aus Brüssel und Straßburg und was sie für Deutschland bedeuten.",
    ),
    TopicSpec(
        "migration",
        "Migration",
        "Asyl, Zuwanderung und Integration – von der europäischen Asylreform bis zur "
        "Unterbringung in den Kommunen.",
    ),
    TopicSpec(
        "rente",
        "Rente",
        "Gesetzliche Rente, Rentenanpassung und private Vorsorge.",
    ),
    TopicSpec(
        "kuenstliche-intelligenz",
        "Künstliche Intelligenz",
        "Sprachmodelle, Regulierung und der Einsatz von KI in Unternehmen, Verwaltung und Medizin.",
    ),
    TopicSpec(
        "halbleiter",
        "Halbleiter",
        "Chipfabriken, Lieferketten und Europas Versuch, bei Halbleitern unabhängiger zu werden.",
    ),
    TopicSpec(
        "cybersicherheit",
        "Cybersicherheit",
        "Angriffe auf Unternehmen, Behörden und Versorger – und wie sie sich schützen.",
    ),
    TopicSpec(
        "digitalisierung",
        "Digitalisierung",
        "Digitale Verwaltung, Glasfaser und Mobilfunk: wie weit Deutschland beim Netz und "
        "bei Onlinediensten ist.",
    ),
    TopicSpec(
        "wohnungsmarkt",
        "Wohnungsmarkt",
        "Mieten, Kaufpreise, Neubau und die Politik gegen knappen Wohnraum.",
    ),
    TopicSpec(
        "bahn",
        "Bahn",
        "Fernverkehr, Pünktlichkeit, Sanierung und Tickets im Schienenverkehr.",
    ),
    TopicSpec(
        "tarifkonflikte",
        "Tarifkonflikte",
        "Verhandlungen, Warnstreiks und Schlichtungen zwischen Gewerkschaften und Arbeitgebern.",
    ),
    TopicSpec(
        "autoindustrie",
        "Autoindustrie",
        "Hersteller und Zulieferer im Umbruch: Absatz, Standorte und Arbeitsplätze.",
    ),
    TopicSpec(
        "elektromobilitaet",
        "Elektromobilität",
        "Elektroautos, Ladesäulen und Batterien – der Wandel im Straßenverkehr.",
    ),
    TopicSpec(
        "mittelstand",
        "Mittelstand",
        "Familienunternehmen und mittelgroße Betriebe, das Rückgrat der deutschen Wirtschaft.",
    ),
    TopicSpec(
        "fachkraefte",
        "Fachkräfte",
        "Ausbildung, Zuwanderung und die Suche nach Personal in Handwerk, Pflege und Industrie.",
    ),
    TopicSpec(
        "arbeitsmarkt",
        "Arbeitsmarkt",
        "Beschäftigung, Arbeitslosigkeit, Löhne und Mindestlohn.",
    ),
    TopicSpec(
        "boerse",
        "Börse",
        "Dax, Anleihen und Aktienmärkte: was Anleger bewegt.",
    ),
    TopicSpec(
        "geldanlage",
        "Geldanlage",
        "Sparen, Fonds und Altersvorsorge – Orientierung für Privatanleger.",
    ),
    TopicSpec(
        "handel",
        "Außenhandel",
        "Exporte, Zölle und Handelsabkommen in einer Welt wachsender Handelskonflikte.",
    ),
    TopicSpec(
        "china",
        "China",
        "Deutschlands wichtigster Handelspartner zwischen Absatzmarkt, Konkurrent und "
        "politischem Rivalen.",
    ),
    TopicSpec(
        "startups",
        "Start-ups",
        "Gründerinnen und Gründer, Wagniskapital und junge Technologiefirmen.",
    ),
    TopicSpec(
        "raumfahrt",
        "Raumfahrt",
        "Satelliten, Trägerraketen und Europas Weg ins All.",
    ),
    TopicSpec(
        "gesundheit",
        "Gesundheit",
        "Medizin, Kliniken und Vorsorge – was Patientinnen und Patienten wissen sollten.",
    ),
    TopicSpec(
        "wetter",
        "Wetter",
        "Unwetter, Hitze und Stürme und ihre Folgen für Verkehr und Alltag.",
    ),
    TopicSpec(
        "landwirtschaft",
        "Landwirtschaft",
        "Höfe, Agrarpolitik und Ernten zwischen Preisdruck und Klimawandel.",
    ),
    TopicSpec(
        "forschung",
        "Forschung",
        "Neue Erkenntnisse aus Hochschulen und Instituten und was aus ihnen werden kann.",
    ),
    TopicSpec(
        "kommunen",
        "Kommunen",
        "Städte und Gemeinden zwischen knappen Kassen und wachsenden Aufgaben.",
    ),
    TopicSpec(
        "einzelhandel",
        "Einzelhandel",
        "Innenstädte, Warenhäuser und Onlinehandel im Wandel.",
    ),
)

AUTHORS = (
    AuthorSpec(
        "jana-koehler",
        "Jana Köhler",
        "Hauptstadtkorrespondentin",
        "Jana Köhler berichtet aus Berlin über Haushalts-, Sozial- und Innenpolitik. Vor "
        "ihrem Wechsel in die Hauptstadt leitete sie das Landesbüro in Hannover.",
        "politik",
    ),
    AuthorSpec(
        "henrike-albers",
        "Henrike Albers",
        "Korrespondentin in Brüssel",
        "Henrike Albers verfolgt die Arbeit von Kommission, Parlament und Rat. Sie "
        "interessiert sich besonders für Handels- und Digitalpolitik.",
        "politik",
    ),
    AuthorSpec(
        "tobias-wendland",
        "Tobias Wendland",
        "Redakteur für Energie und Industrie",
        "Tobias Wendland schreibt über Stromnetze, Wasserstoff und die Frage, wie die "
        "Industrie klimaneutral werden kann. Er hat Volkswirtschaft in Kiel studiert.",
        "wirtschaft",
    ),
    AuthorSpec(
        "miriam-falkenberg",
        "Miriam Falkenberg",
        "Finanzkorrespondentin in Frankfurt",
        "Miriam Falkenberg beobachtet die Europäische Zentralbank, die Banken und die "
        "Börse. Vorher arbeitete sie mehrere Jahre als Anlageberaterin.",
        "finanzen",
    ),
    AuthorSpec(
        "konstantin-lehmkuhl",
        "Konstantin Lehmkuhl",
        "Unternehmensreporter",
        "Konstantin Lehmkuhl berichtet über Autoindustrie, Mittelstand und Handel. Er "
        "besucht am liebsten Werkshallen statt Pressekonferenzen.",
        "unternehmen",
    ),
    AuthorSpec(
        "selin-aydemir",
        "Selin Aydemir",
        "Redakteurin für Technologie",
        "Selin Aydemir schreibt über künstliche Intelligenz, Halbleiter und IT-Sicherheit. "
        "Sie hat Informatik und Journalistik in Dortmund studiert.",
        "technologie",
    ),
    AuthorSpec(
        "paul-hinrichsen",
        "Paul Hinrichsen",
        "Wissenschaftsredakteur",
        "Paul Hinrichsen erklärt Klimaforschung, Medizin und Raumfahrt. Der promovierte "
        "Physiker kam über ein Volontariat zum Journalismus.",
        "wissenschaft",
    ),
    AuthorSpec(
        "greta-vosskamp",
        "Greta Voßkamp",
        "Reporterin",
        "Greta Voßkamp ist für Verkehr, Wetter und Wohnen zuständig und meistens dort "
        "unterwegs, wo die Nachricht passiert: auf Bahnsteigen, Baustellen und Deichen.",
        "panorama",
    ),
    AuthorSpec(
        "jonas-wiedemeyer",
        "Jonas Wiedemeyer",
        "Chef vom Dienst",
        "Jonas Wiedemeyer plant die Nachrichtenlage des Tages und schreibt selbst, wenn "
        "es schnell gehen muss.",
        "default",
    ),
    AuthorSpec(
        "karin-tessmer",
        "Dr. Karin Teßmer",
        "Gastautorin, Energieökonomin",
        "Dr. Karin Teßmer forscht zu Strommärkten und Netzregulierung. In ihren "
        "Gastbeiträgen vertritt sie ihre eigene Meinung.",
        "wirtschaft",
        is_guest=True,
    ),
    AuthorSpec(
        "ansgar-luedeking",
        "Ansgar Lüdeking",
        "Gastautor, Sicherheitspolitik",
        "Ansgar Lüdeking war lange im diplomatischen Dienst tätig und berät heute "
        "Stiftungen in Fragen der europäischen Sicherheit. Er schreibt als Gastautor.",
        "politik",
        is_guest=True,
    ),
)
