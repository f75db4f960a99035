"""The words around names: speech verbs, prepositions, titles and family words, particles,
proper nouns that are not persons, and the words before and after names of places and
facilities. Used by :mod:`~wijkbeeld.voices.detectors.name_context`.

The lists are written for the texts a neighbourhood collects (resident notes, meldingen,
professionals' conversation notes) from general knowledge of Dutch, not drawn from any
evaluation set. Everything is lower case; look-ups are case-insensitive.

:func:`is_dutch_word` says whether a lower-case word is an ordinary Dutch word: in the Dutch
dictionary of ``simplemma`` (already loaded by the tagger), or one of the uninflected words that
dictionary lacks (:data:`FUNCTION_WORDS`, :data:`DOMAIN_NOUNS`); :func:`is_dutch_compound` also
accepts a compound of two such words. Many names are words too ("roos", "bakker", "visser",
"brand"); for those the context decides.
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

__all__ = [
    "ADDRESS_TITLES",
    "ANIMATE_VERBS",
    "ARTICLES",
    "DETERMINERS",
    "DOMAIN_NOUNS",
    "DUTCH_PARTICLES",
    "FACILITY_AFTER",
    "FACILITY_BEFORE",
    "FAMILY_TITLES",
    "FUNCTION_WORDS",
    "HEADLINE_PREPOSITIONS",
    "IN_PLACE",
    "NEVER_NAMES",
    "NOT_PERSONS_LOWER",
    "PARTICLES",
    "PERSON_PREPOSITIONS",
    "PLACE_PARTICLES",
    "PLACE_PREFIXES",
    "SPEECH_VERBS",
    "STARTING_PARTICLES",
    "STREET_ENDINGS",
    "VERBS_AFTER_NAME",
    "WATERS",
    "is_dutch_compound",
    "is_dutch_word",
]

#: Verbs of speech and contact; a name right after one is its subject ("zei Henk", "vraagt
#: BERT") and a name right before one is too ("jan zei", "Priscilla belde").
SPEECH_VERBS = frozenset({
    "zei", "zeiden", "zegt", "zeggen", "vertelde", "vertelt", "vroeg", "vraagt", "belde",
    "belt", "meldde", "meldt", "schreef", "schrijft", "mailde", "mailt", "appte", "appt",
    "riep", "roept", "antwoordde", "antwoordt", "klaagde", "klaagt", "legde", "legt", "gaf",
    "geeft", "liet", "laat", "merkte", "merkt", "vond", "vindt", "dacht", "denkt", "weet",
    "wist", "hoorde", "hoort", "zag", "ziet", "sprak", "spreekt", "aldus", "volgens",
})
#: Finite verbs that often follow a subject that is a name ("Shurendy speelt", "jamal zegt").
VERBS_AFTER_NAME = SPEECH_VERBS - {"aldus", "volgens"} | frozenset({
    "is", "was", "heeft", "had", "wil", "wilde", "kan", "kon", "moet", "moest", "gaat",
    "ging", "komt", "kwam", "woont", "woonde", "werkt", "werkte", "zit", "zat", "staat",
    "stond", "loopt", "liep", "speelt", "speelde", "doet", "deed", "krijgt", "kreeg",
    "wacht", "wachtte", "zoekt", "zocht", "heb", "maakt", "maakte", "helpt", "hielp",
    "kent", "kende", "regelt", "regelde", "organiseert", "organiseerde", "brengt", "bracht",
    "houdt", "hield", "neemt", "nam", "probeert", "probeerde", "durft", "durfde", "mag",
    "zou", "zal", "wordt", "werd", "ligt", "lag", "rijdt", "reed", "past", "paste", "kookt",
    "kookte", "verzorgt", "verzorgde", "hebben", "zijn", "waren",
})
#: Verbs that want a person as their subject: an unknown capitalised word opening a sentence
#: before one is a name ("Ramsaroep heeft", "Shurendy speelt"); before "is", "ligt" or "staat"
#: it may be any noun simplemma does not know ("Overlast is", "Kleding ligt").
ANIMATE_VERBS = SPEECH_VERBS - {"aldus", "volgens"} | frozenset({
    "heeft", "had", "wil", "wilde", "woont", "woonde", "werkt", "werkte", "speelt", "speelde",
    "denkt", "dacht", "zit", "zat", "wacht", "wachtte", "zoekt", "zocht", "kent", "kende",
    "helpt", "hielp", "probeert", "probeerde", "durft", "durfde", "regelt", "regelde",
    "organiseert", "organiseerde", "kookt", "kookte", "verzorgt", "verzorgde", "loopt", "liep",
    "doet", "deed", "gaat", "ging", "komt", "kwam", "krijgt", "kreeg", "maakt", "maakte",
    "brengt", "bracht", "neemt", "nam", "rijdt", "reed", "past", "paste", "houdt", "hield",
})
#: Parts of hyphenated place names ("Oost-Indië", "Nieuw-West", "Amsterdam-Noord").
PLACE_PREFIXES = frozenset({
    "noord", "zuid", "oost", "west", "nieuw", "oud", "midden", "groot", "klein", "hoog",
    "laag", "boven", "beneden", "binnen", "buiten", "sint", "st", "noordoost", "noordwest",
    "zuidoost", "zuidwest", "centrum", "binnenstad",
})
#: Prepositions of place and time after a noun that opens a headline or a melding ("Brand in
#: de flat", "Lekkage bij nummer 3"); "van" and "met" are left out ("Piet van hiernaast").
HEADLINE_PREPOSITIONS = frozenset({
    "in", "op", "bij", "aan", "voor", "naast", "achter", "onder", "boven", "tussen", "door",
    "langs", "over", "rond", "rondom", "nabij", "tijdens", "sinds", "vanaf", "uit", "tegen",
    "zonder", "na", "tegenover",
})
#: Prepositions after which a person is often named ("met Fatima", "bij Shirley", "van Ruben").
PERSON_PREPOSITIONS = frozenset({
    "met", "bij", "aan", "van", "voor", "door", "namens", "tegen", "over", "zonder", "naast",
    "via", "dan", "als", "samen",
})
#: Words that introduce a person in any case: forms of address, family and neighbours, roles.
#: A name after one is taken even in lower case ("tante lenie", "familie bakker").
FAMILY_TITLES = frozenset({
    "gezin", "familie", "fam", "mevrouw", "mevr", "mw", "meneer", "mijnheer", "menheer", "dhr",
    "heer", "juffrouw", "juf", "meester", "mr", "dr", "buurman", "buurvrouw", "buurjongen",
    "buurmeisje", "buren", "agent", "wijkagent", "handhaver", "boa", "tante", "oom", "opa",
    "oma", "vader", "moeder", "papa", "mama", "zoon", "dochter", "broer", "zus", "zuster",
    "neef", "nicht", "collega", "cliënt", "client", "cliente", "bewoner", "bewoonster",
    "huurder", "huurster", "dokter", "huisarts", "pastoor", "dominee", "imam", "pastor",
    "wijkverpleegkundige", "conciërge", "beheerder", "huismeester", "coach", "trainer",
    "vriend", "vriendin", "man", "vrouw", "echtgenoot", "echtgenote", "kleinzoon",
    "kleindochter", "schoonzoon", "schoondochter", "stiefvader", "stiefmoeder",
})
#: Particles of surnames. Lower-case ones are taken after a first name or a title ("agent el
#: idrissi", "ivo van den berg"); capitalised ones also start a name ("Ben Ali", "El Amrani").
PARTICLES = frozenset({
    "van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op", "uit", "aan",
    "bij", "el", "al", "ben", "ait", "aït", "bou", "abou", "abu", "ibn", "bin", "d'", "di",
    "da", "dos", "das", "del", "della", "le", "la", "mac", "mc", "von", "zur", "vander",
    "vd",
})
#: Proper nouns in neighbourhood texts that are not persons: countries and regions people come
#: from, shops, housing corporations, services, apps and media. Capitalised words outside any
#: dictionary are otherwise taken for names in mid-sentence.
NOT_PERSONS_LOWER = frozenset({
    # countries, regions and their capitals that residents come from
    "nederland", "holland", "belgië", "duitsland", "frankrijk", "engeland", "spanje",
    "portugal", "italië", "griekenland", "polen", "roemenië", "bulgarije", "hongarije",
    "oekraïne", "rusland", "turkije", "marokko", "algerije", "tunesië", "egypte", "syrië",
    "irak", "iran", "afghanistan", "pakistan", "india", "china", "vietnam", "indonesië",
    "suriname", "curaçao", "aruba", "bonaire", "antillen", "ghana", "nigeria", "somalië",
    "eritrea", "ethiopië", "kaapverdië", "joegoslavië", "bosnië", "servië", "kroatië",
    "koerdistan", "europa", "afrika", "azië", "amerika", "molukken", "java", "rif",
    "istanbul", "ankara", "rabat", "casablanca", "tanger", "nador", "paramaribo",
    "willemstad", "damascus", "aleppo", "kyiv", "kiev", "warschau", "mogadishu", "asmara",
    "accra", "lagos", "brussel", "antwerpen", "parijs", "londen", "berlijn",
    # shops, chains and brands
    "aldi", "lidl", "jumbo", "hema", "action", "kruidvat", "etos", "gamma", "praxis",
    "karwei", "blokker", "zeeman", "primark", "vomar", "plus", "coop", "spar", "dirk",
    "hoogvliet", "ikea", "mediamarkt", "bol", "albert", "heijn", "ah", "mcdonald's",
    "mcdonalds", "kfc", "burger", "king", "dominos", "thuisbezorgd", "flink", "gorillas",
    "picnic", "postnl", "dhl", "tesla", "bmw", "mercedes", "audi", "volkswagen", "toyota",
    "opel", "renault", "peugeot", "fiat", "ford", "kia", "skoda",
    # housing corporations, services, authorities, transport
    "ymere", "vestia", "woonbron", "havensteder", "portaal", "mitros", "stadgenoot",
    "rochdale", "alliantie", "woonstad", "staedion", "haagwonen", "vidomes", "eigen",
    "haard", "woonstede", "lefier", "talis", "vivare", "woonzorg", "zayaz", "bo-ex",
    "eneco", "vattenfall", "essent", "ziggo", "kpn", "odido", "vodafone", "stedin",
    "liander", "enexis", "waternet", "evides", "vitens", "ggd", "ggz", "uwv", "svb", "duo",
    "cjib", "belastingdienst", "politie", "brandweer", "ret", "gvb", "htm", "ns", "arriva",
    "connexxion", "qbuzz", "ebs", "keolis", "prorail", "rijkswaterstaat", "veiligheidshuis",
    "humanitas", "jeugdzorg", "veilig", "thuis", "buurtzorg", "vluchtelingenwerk", "coa",
    "ind", "voedselbank", "kringloop", "leger", "heils", "rode", "kruis",
    # apps, media, platforms
    "whatsapp", "facebook", "instagram", "tiktok", "snapchat", "twitter", "youtube",
    "google", "nextdoor", "marktplaats", "fixi", "buitenbeter", "teams", "zoom", "netflix",
    "nos", "rtv", "at5", "omroep", "telegraaf", "volkskrant", "parool",
    # holidays, events and religion
    "pasen", "pinksteren", "kerst", "kerstmis", "oud", "nieuw", "ramadan", "suikerfeest",
    "offerfeest", "keti", "koti", "divali", "diwali", "holi", "chanoeka", "sinterklaas",
    "koningsdag", "bevrijdingsdag", "halloween", "allah", "god", "jezus", "islam",
    "covid", "corona",
    # care and welfare organisations (those that are not also first names)
    "careyn", "cordaan", "amsta", "evean", "zorgbalans", "vivium", "amstelring", "sensire",
    "tactus", "parnassia", "arkin", "lentis", "altrecht", "dock", "pluryn", "asvz", "cello",
    "ipse", "zonnehuis", "zorggroep", "welzijn", "wijkteam", "sociaal", "kwadraad",
    # languages
    "papiaments", "sranantongo", "sranan", "sarnami", "tamazight", "tarifit", "berbers",
    "tigrinya", "farsi", "dari", "pashto", "urdu", "hindi", "hindoestaans", "javaans",
    "kaapverdisch", "mandarijn", "kantonees", "koerdisch", "somalisch", "oekraïens",
    # games and devices
    "fortnite", "minecraft", "roblox", "playstation", "xbox", "iphone", "spotify",
    # other
    "court", "cruijff", "cruyff", "krajicek", "buurtbus", "wmo", "jeugdwet", "ok", "oké",
})


#: Forms of address after which particles belong to the name ("mevrouw de wit"); after the
#: other family words a lower-case "van" is a preposition ("de zoon van ...").
ADDRESS_TITLES = frozenset({
    "gezin", "familie", "fam", "mevrouw", "mevr", "mw", "meneer", "mijnheer", "menheer", "dhr",
    "heer", "juffrouw", "juf", "meester", "mr", "dr", "agent", "wijkagent", "buurman",
    "buurvrouw", "tante", "oom", "opa", "oma", "dokter", "collega", "handhaver", "boa",
})
#: Particles that are Dutch prepositions or articles too; after them a lower-case surname must
#: be a listed one ("van den berg"), and capitalised they start a name only before a listed or
#: unknown surname.
DUTCH_PARTICLES = frozenset({
    "van", "de", "der", "den", "het", "'t", "te", "ter", "ten", "in", "op", "uit", "aan", "bij",
    "vd", "vander",
})
#: Capitalised particles that start a name ("Ter Beek", "El Amrani", "Van der Meer").
STARTING_PARTICLES = PARTICLES - {"het", "'t", "te", "in", "op", "uit", "aan", "bij"}
#: Articles and determiners: a capitalised word after one names a thing ("de Ymere").
DETERMINERS = frozenset({
    "de", "het", "een", "deze", "die", "dat", "dit", "mijn", "m'n", "mn", "zijn", "z'n", "zn",
    "haar", "onze", "ons", "jullie", "hun", "uw", "geen", "elke", "ieder", "iedere", "alle",
    "veel", "weinig", "welke", "zo'n", "zulke", "andere", "nieuwe", "oude", "grote", "kleine",
    "hele", "echte", "rotterdamse", "haagse", "utrechtse", "amsterdamse",
})
ARTICLES = frozenset({"de", "het", "een", "'t"})
#: Rivers and waters, missing from the place lists; alone they are not surnames.
WATERS = frozenset({
    "rijn", "maas", "amstel", "vecht", "ijssel", "waal", "lek", "schelde", "dommel", "zaan",
    "spaarne", "eem", "gouwe", "rotte", "schie", "merwede", "noordzee", "ijsselmeer",
})
#: Prepositions after which "De ..." or "Het ..." is a venue ("in De Leeuw", "naar Het Anker").
IN_PLACE = frozenset({
    "in", "op", "naar", "uit", "vanuit", "richting", "nabij", "tegenover", "langs", "bij",
})
#: Particles that are prepositions of place: "op de Dam", "aan de Maas" name a place.
PLACE_PARTICLES = frozenset({"op", "in", "aan", "bij", "uit", "te"})
#: Words that follow a name of a facility ("Sint Franciscus Gasthuis", "Jan Ligthart school"):
#: the name before them is no person.
FACILITY_AFTER = frozenset({
    "gasthuis", "ziekenhuis", "school", "basisschool", "college", "lyceum", "kerk", "moskee",
    "stichting", "centrum", "huis", "hal", "park", "court", "plein", "fonds", "prijs",
    "stadion", "arena", "theater", "zaal", "bibliotheek", "tuin", "kliniek", "instituut",
    "academie", "kazerne", "brug", "toren", "hof", "markt", "straat", "laan", "weg", "kade",
})
#: Endings of streets and facilities ("Frankplein", "Stationspln", "Kerkstr").
STREET_ENDINGS = (
    "straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "steeg", "dreef",
    "plantsoen", "park", "markt", "hof", "pad", "baan", "str", "ln", "pln", "wg", "kd", "pk",
    "school", "huis", "centrum", "kerk", "hal", "tuin", "wijk", "buurt", "kwartier", "eiland",
    "polder", "stichting", "vereniging", "fonds", "team", "raad", "bank",
)
#: Words before a name of a facility or a place: "Stichting Buurtkracht", "Speeltuin De
#: Hoop", "stadsdeel Escamp", "de wijk Bouwlust" (compounds ending in them count too).
FACILITY_BEFORE = (
    "stichting", "speeltuin", "school", "buurthuis", "wijkcentrum", "centrum", "vereniging",
    "kerk", "moskee", "café", "cafe", "restaurant", "snackbar", "sporthal", "zwembad", "flat",
    "complex", "gebouw", "project", "team", "fonds", "club", "theater", "winkel", "park",
    "stadsdeel", "wijk", "buurt", "gemeente", "dorp", "stad", "regio", "provincie", "district",
    "gebied", "woonplaats", "polder", "eiland",
)
#: Short forms, chat words and adverbs that are never names ("mn", "zn", "ff", "hierheen").
NEVER_NAMES = frozenset({
    "mn", "zn", "ff", "wss", "idd", "ok", "oke", "oké", "hoi", "doei", "pfff", "jaja", "nee",
    "haha", "lol", "sorry", "thanks", "top", "super", "dus", "nou", "hey", "hallo", "hierheen",
    "daarheen", "erheen", "waarheen", "hiernaast", "daarnaast", "ernaast", "hierboven",
    "hieronder", "hierachter", "hiervoor", "hierna", "daarna", "vandaan", "ervandoor",
})
_PRONOMINAL = ("er", "hier", "daar", "waar")
_ADVERB_PREPOSITIONS = (
    "aan", "achter", "af", "bij", "binnen", "boven", "buiten", "door", "heen", "in", "langs",
    "mee", "na", "naar", "naast", "om", "onder", "op", "over", "tegen", "toe", "tussen", "uit",
    "van", "vandaan", "voor", "zonder", "omheen", "achteraan", "tegenover", "bovenop",
)
#: Uninflected Dutch words that simplemma's dictionary (built from inflected forms) lacks:
#: adverbs, conjunctions, pronominal adverbs ("erin", "daardoor", "hiermee").
FUNCTION_WORDS = frozenset(
    {p + q for p in _PRONOMINAL for q in _ADVERB_PREPOSITIONS}
    | {
        "sindsdien", "vanochtend", "vanmorgen", "vanmiddag", "vanavond", "vannacht",
        "gisteren", "gisteravond", "gistermiddag", "gisterochtend", "eergisteren", "morgen",
        "morgenochtend", "overmorgen", "vandaag", "straks", "zometeen", "binnenkort", "laatst",
        "onlangs", "vervolgens", "daarnaast", "daardoor", "hierdoor", "desondanks", "helaas",
        "gelukkig", "toentertijd", "destijds", "hoezo", "waarom", "wanneer", "trouwens",
        "overigens", "namelijk", "tenminste", "althans", "bovendien", "echter", "immers",
        "inmiddels", "intussen", "ondertussen", "ondanks", "tijdens", "sinds", "totdat",
        "zodat", "omdat", "doordat", "hoewel", "terwijl", "zodra", "nadat", "voordat", "tenzij",
        "mits", "alsof", "ofwel", "noch", "zowel", "hetzij", "ook", "nog", "al", "toch",
        "wel", "niet", "nooit", "altijd", "vaak", "soms", "meestal", "zelden", "opeens",
        "ineens", "plotseling", "meteen", "direct", "gauw", "vroeger", "later", "eerder",
        "weer", "opnieuw", "nogmaals", "steeds", "telkens", "sowieso", "misschien", "wellicht",
        "waarschijnlijk", "blijkbaar", "kennelijk", "uiteindelijk", "hopelijk", "eigenlijk",
        "zelfs", "slechts", "alleen", "samen", "apart", "thuis", "buiten", "binnen", "boven",
        "beneden", "achteraf", "vooraf", "vooral", "vooruit", "achteruit", "terug", "verder",
        "daarna", "hierna", "voorheen", "tegelijk", "tegelijkertijd", "allemaal", "iedereen",
        "niemand", "iemand", "niets", "niks", "iets", "alles", "overal", "nergens", "ergens",
        "elders", "hier", "daar", "waar", "er", "zo", "dus", "maar", "want", "of", "en",
        "toen", "dan", "als", "nu", "net", "pas", "reeds", "allang", "allicht", "zeker",
        "welnee", "jawel", "nee", "ja", "oké", "hè", "hoor", "joh", "jij", "jou", "jouw",
        "jullie", "hen", "hem", "haar", "zij", "ze", "wij", "we", "u", "uw", "ik", "mij", "me",
        "mijn", "ons", "onze", "zich", "zichzelf", "elkaar", "welke", "wie", "wat", "hoe",
        "hoeveel", "zulke", "zo'n", "dergelijke", "diverse", "enkele", "sommige", "talloze",
        "beide", "allebei", "tweeën", "drieën", "vieren",
    }
)

#: Nouns of neighbourhood texts that simplemma's dictionary lacks (it holds inflected forms,
#: and these rarely inflect); with them compounds such as "geluidsoverlast" are words too.
DOMAIN_NOUNS = frozenset({
    "overlast", "kleding", "bestrating", "criminaliteit", "vandalisme", "armoede",
    "eenzaamheid", "handhaving", "inspraak", "welzijn", "duurzaamheid", "hitte", "racisme",
    "hulp", "poep", "vervuiling", "verloedering", "leefbaarheid", "zorg", "opvang",
    "begeleiding", "ondersteuning", "bereikbaarheid", "toegankelijkheid", "verduurzaming",
    "renovatie", "sloop", "nieuwbouw", "woningnood", "wachtlijst", "jeugdzorg", "mantelzorg",
    "thuiszorg", "schuldhulpverlening", "armoedebeleid", "buurtbeheer", "bewonersparticipatie",
    "overlastgevers", "ondermijning", "radicalisering", "polarisatie", "verwaarlozing",
    "verslaving", "dakloosheid", "werkloosheid", "laaggeletterdheid", "taalachterstand",
})


@lru_cache(maxsize=100_000)
def is_dutch_word(lower: str) -> bool:
    """True when ``lower`` (a lower-case word) is an ordinary Dutch word: in simplemma's Dutch
    dictionary or one of :data:`FUNCTION_WORDS` and :data:`DOMAIN_NOUNS`. A hyphenated compound
    counts as a word when its last part does ("ggz-wachtlijsten"), not when that part is a name
    ("bakker-jansen")."""
    if lower in FUNCTION_WORDS or lower in DOMAIN_NOUNS:
        return True
    if "-" in lower.strip("-"):
        return is_dutch_word(lower.rsplit("-", 1)[1])
    try:
        return bool(simplemma.is_known(lower, lang="nl"))
    except ValueError:  # pragma: no cover - simplemma rejects only non-strings
        return False


#: Linking letters between the parts of a compound ("geluid-s-overlast", "huurder-s-vereniging").
_LINKS = ("", "s", "e", "en")


@lru_cache(maxsize=100_000)
def is_dutch_compound(lower: str) -> bool:
    """True when ``lower`` is an ordinary Dutch word or a compound of two ("zwerfafval",
    "geluidsoverlast", "huurdersvereniging"): simplemma's dictionary lacks most compounds.
    Each part has at least three letters; at most one split is tried per position, so the cost
    is linear in the word (and a word longer than 40 letters is no compound of interest)."""
    if is_dutch_word(lower):
        return True
    if len(lower) < 7 or len(lower) > 40 or not lower.isalpha():
        return False
    for cut in range(3, len(lower) - 2):
        head, tail = lower[:cut], lower[cut:]
        if not is_dutch_word(tail):
            continue
        for link in _LINKS:
            if head.endswith(link) and len(head) - len(link) >= 3 and is_dutch_word(
                head[: len(head) - len(link)]
            ):
                return True
    return False
