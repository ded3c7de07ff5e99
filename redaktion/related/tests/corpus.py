"""A tiny German newsroom written for these tests: three topics, four articles each."""

TEXTS = {
    "wirtschaft": [
        "Die Inflation steigt weiter. Die Europäische Zentralbank erhöht den Leitzins, "
        "Banken verteuern Kredite, und die Wirtschaft rechnet mit einem schwächeren Wachstum.",
        "Die Zentralbank hält den Leitzins stabil. Ökonomen erwarten, dass die Inflation "
        "sinkt und Kredite für Unternehmen wieder billiger werden.",
        "Unternehmen klagen über hohe Energiepreise. Die wirtschaftlichen Aussichten trüben "
        "sich ein, die Banken vergeben weniger Kredite an den Mittelstand.",
        "Der Export bricht ein: Die Industrie meldet weniger Aufträge, die Wirtschaft "
        "schrumpft, und die Zentralbank prüft eine Senkung der Zinsen.",
    ],
    "fussball": [
        "Der Trainer lobt seine Mannschaft nach dem Sieg. Der Stürmer schoss zwei Tore, "
        "der Torwart hielt einen Elfmeter in der Nachspielzeit.",
        "Die Mannschaft verliert das Derby. Ein Eigentor und ein verschossener Elfmeter "
        "kosten den Trainer womöglich den Job in der Bundesliga.",
        "In der Bundesliga bleibt der Tabellenführer ungeschlagen: Der Stürmer trifft, der "
        "Torwart pariert, die Fans feiern ihre Mannschaft.",
        "Der Verein entlässt den Trainer. Nach fünf Niederlagen in der Bundesliga soll ein "
        "neuer Coach die Mannschaft vor dem Abstieg retten.",
    ],
    "klima": [
        "Die Gletscher in den Alpen schmelzen schneller als erwartet. Forscher warnen vor "
        "den Folgen des Klimawandels für Wasser und Landwirtschaft.",
        "Der Klimawandel bringt mehr Hitze und Dürre. Landwirte fürchten um ihre Ernte, "
        "Forscher fordern weniger Emissionen von Kohlendioxid.",
        "Eine Studie zeigt: Die Emissionen von Kohlendioxid steigen trotz aller Ziele. Das "
        "Klima erwärmt sich, die Gletscher verlieren Eis.",
        "Hitzewelle und Dürre: Forscher sehen im Klimawandel die Ursache für Waldbrände und "
        "schmelzende Gletscher im Sommer.",
    ],
}


def labelled():
    """(label, text) pairs in a fixed order."""
    return [(label, text) for label, texts in TEXTS.items() for text in texts]
