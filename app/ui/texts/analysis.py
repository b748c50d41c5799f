"""Texts of the analyst workspace (issue 6). key -> (Dutch, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "analysis.nav.compare": ("Verkiezingen vergelijken", "Compare elections"),
    "analysis.nav.tonight": ("Vanavond vs. vorige keer", "Tonight vs. last time"),
    "analysis.nav.parties": ("Partijen harmoniseren", "Harmonise parties"),
    "analysis.nav.sql": ("SQL-console", "SQL console"),
    "analysis.compare.heading": ("Verkiezingen vergelijken", "Compare elections"),
    "analysis.compare.intro": (
        "Kies twee verkiezingen. Opkomst vergelijken we per gemeente (uitgebrachte stemmen ÷ kiesgerechtigden); per stembureau tonen we aantallen, geen opkomstpercentage, want een kiezer mag in elk stembureau van de gemeente stemmen.",
        "Pick two elections. Turnout is compared per municipality (votes cast ÷ electorate); per polling station we show counts, not a turnout percentage, because a voter may vote at any station in the municipality.",
    ),
    "analysis.election_a": ("Eerdere verkiezing (basis)", "Earlier election (base)"),
    "analysis.election_b": ("Vergelijken met", "Compare with"),
    "analysis.municipality": ("Gemeente", "Municipality"),
    "analysis.all_municipalities": ("Alle gemeenten", "All municipalities"),
    "analysis.same_election": ("Kies twee verschillende verkiezingen.", "Pick two different elections."),
    "analysis.no_data": ("Voor deze keuze zijn geen gegevens.", "There is no data for this choice."),
    "analysis.tab.municipality": ("Per gemeente", "Per municipality"),
    "analysis.tab.stations": ("Per stembureau", "Per polling station"),
    "analysis.tab.links": ("Koppeling stembureaus", "Station linking"),
    "analysis.turnout.heading": ("Opkomst per gemeente", "Turnout per municipality"),
    "analysis.turnout.map": (
        "Verandering in opkomst (procentpunt) per gemeente",
        "Change in turnout (percentage points) per municipality",
    ),
    "analysis.turnout.none": (
        "Voor een van beide verkiezingen is het aantal kiesgerechtigden niet bekend; opkomst kan niet worden berekend.",
        "The electorate of one of the elections is not known; turnout cannot be computed.",
    ),
    "analysis.shares.heading": ("Partijen: aandeel en verschuiving", "Parties: share and swing"),
    "analysis.movers.heading": ("Grootste verschuivingen", "Biggest movers"),
    "analysis.party": ("Partij", "Party"),
    "analysis.measure": ("Maat op de kaart", "Measure on the map"),
    "analysis.measure.swing": (
        "Verschuiving van de gekozen partij (procentpunt)",
        "Swing of the chosen party (pp)",
    ),
    "analysis.measure.share_b": ("Aandeel van de gekozen partij (%)", "Share of the chosen party (%)"),
    "analysis.measure.admitted_b": ("Toegelaten kiezers (aantal)", "Admitted voters (count)"),
    "analysis.measure.admitted_change": (
        "Verschil toegelaten kiezers (aantal)",
        "Change in admitted voters (count)",
    ),
    "analysis.stations.heading": ("Stembureaus", "Polling stations"),
    "analysis.stations.map": (
        "Stembureaus: grootte en kleur naar de gekozen maat; label = nummer en grootste partij",
        "Polling stations: size and colour by the chosen measure; label = number and largest party",
    ),
    "analysis.stations.no_location": (
        "{n} gekoppelde stembureaus hebben geen locatie en staan niet op de kaart.",
        "{n} linked stations have no location and are not on the map.",
    ),
    "analysis.largest.heading": ("Grootste partij per stembureau", "Largest party per polling station"),
    "analysis.links.heading": ("Hoe zijn de stembureaus gekoppeld?", "How were the stations linked?"),
    "analysis.links.explain": (
        "Eerst op nummer (als de postcodes niet verschillen), dan op postcode, dan op afstand (binnen 750 m). 'none' = niet gekoppeld.",
        "First by number (unless the postcodes differ), then by postcode, then by distance (within 750 m). 'none' = not linked.",
    ),
    "analysis.links.summary": ("Koppelingen per methode", "Links per method"),
    "analysis.export": ("Downloaden", "Download"),
    "analysis.export.csv": ("CSV", "CSV"),
    "analysis.export.excel": ("CSV voor Excel (NL)", "CSV for Excel (NL)"),
    "analysis.export.parquet": ("Parquet", "Parquet"),
    "analysis.loading": ("Gegevens laden…", "Loading data…"),
    "analysis.load_failed": (
        "De analysegegevens konden niet worden geladen. Probeer het zo opnieuw.",
        "The analysis data could not be loaded. Please try again shortly.",
    ),
    # tonight
    "analysis.tonight.heading": ("Vanavond tegenover vorige keer", "Tonight against last time"),
    "analysis.tonight.intro": (
        "De voorlopige telling van vanavond per stembureau, naast de vorige verkiezing. Vult zich naarmate tellingen binnenkomen (voorlopig, niet officieel).",
        "Tonight's preliminary count per station, next to the previous election. Fills in as counts come in (provisional, not official).",
    ),
    "analysis.tonight.progress": ("{n} van {m} stembureaus geteld", "{n} of {m} stations counted"),
    "analysis.tonight.none": (
        "Er zijn nog geen tellingen van vanavond binnen.",
        "No counts from tonight have come in yet.",
    ),
    "analysis.tonight.current": ("Verkiezing van vanavond", "Tonight's election"),
    "analysis.tonight.previous": ("Vorige verkiezing", "Previous election"),
    # harmonisation
    "analysis.harmonise.heading": ("Partijen harmoniseren", "Harmonise parties"),
    "analysis.harmonise.intro": (
        "Lijstnamen verschillen per verkiezing. Geef aan welke namen dezelfde partij zijn; namen zonder regel volgen de standaard (hoofdletters en leestekens tellen niet).",
        "List names differ between elections. Say which names are the same party; names without a rule follow the default (case and punctuation do not count).",
    ),
    "analysis.harmonise.current": ("Regels van {municipality}", "Rules of {municipality}"),
    "analysis.harmonise.defaults": (
        "Namen in de gegevens en hun partij",
        "Names in the data and their party",
    ),
    "analysis.harmonise.name": ("Lijstnaam", "List name"),
    "analysis.harmonise.key": ("Geharmoniseerde partij", "Harmonised party"),
    "analysis.harmonise.save": ("Regel opslaan", "Save rule"),
    "analysis.harmonise.remove": (
        "Regel verwijderen (terug naar standaard)",
        "Remove rule (back to default)",
    ),
    "analysis.harmonise.saved": ("Opgeslagen: {name} → {party}.", "Saved: {name} → {party}."),
    "analysis.harmonise.removed": ("Verwijderd: {name}.", "Removed: {name}."),
    "analysis.harmonise.none": ("Nog geen eigen regels.", "No rules of your own yet."),
    "analysis.harmonise.empty_name": ("Vul een lijstnaam in.", "Enter a list name."),
    "analysis.harmonise.bad_key": (
        "Vul een partij in (hoogstens {n} tekens).",
        "Enter a party (at most {n} characters).",
    ),
    # SQL console
    "analysis.sql.heading": ("SQL-console", "SQL console"),
    "analysis.sql.intro": (
        "Alleen-lezen SQL (DuckDB) op de analysetabellen: SELECT, WITH, EXPLAIN, DESCRIBE, SHOW, SUMMARIZE. Geen bestanden, geen netwerk; hoogstens {seconds} seconden en {rows} rijen.",
        "Read-only SQL (DuckDB) over the analysis tables: SELECT, WITH, EXPLAIN, DESCRIBE, SHOW, SUMMARIZE. No files, no network; at most {seconds} seconds and {rows} rows.",
    ),
    "analysis.sql.schema": ("Tabellen", "Tables"),
    "analysis.sql.query": ("Query", "Query"),
    "analysis.sql.run": ("Uitvoeren", "Run"),
    "analysis.sql.rows": ("{n} rijen in {seconds} s", "{n} rows in {seconds} s"),
    "analysis.sql.truncated": (
        "Alleen de eerste {n} rijen worden getoond.",
        "Only the first {n} rows are shown.",
    ),
    "analysis.sql.empty": ("Typ eerst een query.", "Type a query first."),
    "analysis.sql.syntax": ("De query klopt niet: {detail}", "The query is not valid: {detail}"),
    "analysis.sql.one_statement": (
        "Voer één opdracht tegelijk uit (u gaf er {detail}).",
        "Run one statement at a time (you gave {detail}).",
    ),
    "analysis.sql.read_only": (
        "Alleen lezen is toegestaan: {detail} wordt geweigerd. Gebruik SELECT, WITH, EXPLAIN, DESCRIBE, SHOW of SUMMARIZE.",
        "Only reading is allowed: {detail} is refused. Use SELECT, WITH, EXPLAIN, DESCRIBE, SHOW or SUMMARIZE.",
    ),
    "analysis.sql.not_permitted": (
        "Geen toegang tot bestanden of netwerk vanuit de console ({detail}).",
        "No access to files or the network from the console ({detail}).",
    ),
    "analysis.sql.timeout": (
        "De query duurde langer dan {detail} seconden en is gestopt. Maak hem kleiner (filter, LIMIT).",
        "The query took longer than {detail} seconds and was stopped. Make it smaller (filter, LIMIT).",
    ),
    "analysis.sql.memory": (
        "De query had te veel geheugen nodig en is gestopt ({detail}).",
        "The query needed too much memory and was stopped ({detail}).",
    ),
    "analysis.sql.error": ("De query gaf een fout: {detail}", "The query failed: {detail}"),
    # column labels
    "analysis.col.municipality": ("Gemeente", "Municipality"),
    "analysis.col.turnout_a": ("Opkomst A (%)", "Turnout A (%)"),
    "analysis.col.turnout_b": ("Opkomst B (%)", "Turnout B (%)"),
    "analysis.col.turnout_change": ("Verschil (procentpunt)", "Change (pp)"),
    "analysis.col.method": ("Methode", "Method"),
}
