"""The `age` group: a person's age as people write it ("42 years old", "aged 42", "a 42-year-old", "age: 42").

A bare number is never an age by itself: each form needs the words that make it one (years old, aged, a field name
such as "Age:" or "Edad:", a unit such as "ans" or "Jahre", I'm/turned/turning before it, a person or relation said to
be it, a sex beside it, a name with the number in brackets after it, a birthday after an ordinal). Number words up to
99 count where a digit would ("ninety-one years old", "turning sixteen"), and so do rough ages ("late 40s",
"40-something", "approx. 50") where a cue says an age is meant. The cue words come in several languages. Where a
form could also be the age of a thing ("a 10-year-old bug", "the laptop is 3 years old") or a span of time ("vor 3
Jahren", "3 años de garantía"), `NOT_AN_AGE` names the thing or the time, and a match that overlaps it is dropped.
"""

from __future__ import annotations

import re

from core.path.casing import CAPITALS
from core.path.dates import DATE, TEENS, TENS, UNITS
from core.path.name_list import first_names, given_names, surnames


def _trie(words: str) -> str:
    """An alternation of the literal words of `words` ("a|ab|b"), written as a trie ("(?:ab?|b)"): at each position
    the regex engine tries one branch per first letter instead of one per word."""
    tree: dict[str, dict] = {}
    for word in words.split("|"):
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        alternatives = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(alternatives) == 1 and len(body) > 1 else f"{body}?"

    return branch(tree)


# Tens of Spanish, Portuguese, Italian, French and German ("tiene setenta", "Alter: achtzig")
_FOREIGN_TENS = (
    "veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|vinte|trinta|quarenta|oitenta|venti|trenta|"
    "quaranta|cinquanta|sessanta|settanta|ottanta|novanta|vingt|trente|quarante|cinquante|soixante|soixante-dix|"
    "quatre-vingt|quatre-vingts|quatre-vingt-dix|zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig|twintig|"
    "dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|tjugo|trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio"
)
# Compound number words of other languages, 10-99, the forms people write ages in: German and Dutch put the unit
# first ("dreiundachtzig", "achtenzeventig"), Swedish and Italian join it after ("trettiofem", "settantacinque"),
# French hyphens it ("vingt-deux", "soixante-douze"), Spanish and Portuguese write "y"/"e" ("treinta y dos", "oitenta e
# dois"); the teens of each, and the Polish tens. Small numbers of other languages alone ("drei", "cinco") are words
# too often; they count only with a unit after them (`_FOREIGN_SMALL`).
_DE_UNIT = "ein|zwei|drei|vier|fünf|fuenf|sechs|sieben|acht|neun"
_DE_TENS = "zwanzig|dreißig|dreissig|vierzig|fünfzig|fuenfzig|sechzig|siebzig|achtzig|neunzig"
_NL_UNIT = "een|eën|twee|drie|vier|vijf|zes|zeven|acht|negen"
_NL_TENS = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
_SV_TENS = "tjugo|trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio"
_SV_UNIT = "ett|en|två|tre|fyra|fem|sex|sju|åtta|nio"
_IT_TENS = "vent|trent|quarant|cinquant|sessant|settant|ottant|novant"
_IT_UNIT = "uno|due|tre|tré|quattro|cinque|sei|sette|otto|nove"
_FR_TENS = "vingt|trente|quarante|cinquante|soixante|quatre-vingts?"
_FR_UNIT = (
    "et-un|et un|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|et-onze|et onze|onze|douze|treize|quatorze|quinze|"
    "seize|dix-sept|dix-huit|dix-neuf"
)
_ES_TENS = "treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|trinta|quarenta|cinquenta|sessenta|oitenta"
_ES_UNIT = (
    "uno|un|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|tantos|um|uma|dois|duas|três|quatro|seis|sete|oito|nove"
)
_FOREIGN_TEENS = (
    "zehn|zwölf|zwoelf|dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn|tien|twaalf|dertien|"
    "veertien|vijftien|zestien|zeventien|achttien|negentien|tolv|tretton|fjorton|femton|sexton|sjutton|arton|nitton|"
    "dieci|undici|dodici|tredici|quattordici|quindici|sedici|diciassette|diciotto|diciannove|dix|onze|douze|treize|"
    "quatorze|quinze|dix-sept|dix-huit|dix-neuf|diez|doce|trece|catorce|quince|dieciséis|dieciseis|"
    "diecisiete|dieciocho|diecinueve|veintiún|veintiuno|veintidós|veintidos|veintitrés|veintitres|veinticuatro|"
    "veinticinco|veintiséis|veintiseis|veintisiete|veintiocho|veintinueve|dez|doze|treze|catorze|quatorze|dezesseis|"
    "dezasseis|dezessete|dezassete|dezoito|dezenove|dezanove|dziesięć|jedenaście|dwanaście|trzynaście|czternaście|"
    "piętnaście|szesnaście|siedemnaście|osiemnaście|dziewiętnaście|dwadzieścia|trzydzieści|czterdzieści|"
    "pięćdziesiąt|sześćdziesiąt|siedemdziesiąt|osiemdziesiąt|dziewięćdziesiąt"
)
_FOREIGN_COMPOUND = (
    rf"(?:{_DE_UNIT})und(?:{_DE_TENS})|(?:{_NL_UNIT})(?:en|ën)(?:{_NL_TENS})|(?:{_SV_TENS})(?:{_SV_UNIT})"
    rf"|(?:{_IT_TENS})[ai]?(?:{_IT_UNIT})|(?:{_IT_TENS})[ai]|(?:{_FR_TENS})-(?:{_FR_UNIT})"
    rf"|(?:soixante|quatre-vingt)-(?:{_FR_UNIT})|(?:{_ES_TENS}|vinte) [ye] (?:{_ES_UNIT})"
)
_FOREIGN_SMALL = (
    "zwei|drei|vier|fünf|sechs|sieben|acht|neun|deux|trois|quatre|cinq|sept|huit|neuf|dos|tres|cuatro|cinco|seis|"
    "siete|ocho|nueve|dois|três|quatro|sete|oito|nove|due|tre|quattro|cinque|sei|sette|otto|twee|drie|vijf|zes|"
    "zeven|negen|två|fyra|fem|sju|åtta|nio|dwa|trzy|cztery|pięć|sześć|siedem|osiem|dziewięć|elf|once|seize"
)
_NUMBER_WORD = (
    rf"(?i:(?:{TENS}|fourty)(?:[- ](?:{UNITS}))?|{TEENS}|fourteen|fourten|sevn|{UNITS}|{_FOREIGN_COMPOUND}"
    rf"|{_trie(f'{_FOREIGN_TEENS}|{_FOREIGN_TENS}')})"
)
_AGE_NUMBER = rf"(?:1[01]\d|\d{{1,2}}|{_NUMBER_WORD})(?:\s?(?i:and a half|½))?"
# "Mitte 50", "Anfang zwanzig", "Ende 60", "in den Vierzigern", "la cinquantaine", "une quarantaine d'années",
# "sulla cinquantina", "settant'anni" (never "Ende 2020", "Mitte 50 %", "une trentaine de personnes")
_ROUGH_FOREIGN = (
    rf"(?:[Mm]itte|[Aa]nfang|[Ee]nde)[- ](?:[2-9]0|(?i:{_DE_TENS}))"
    r"(?![\w%€]|[.,]\d|\s?(?:%|€|Euro|Prozent|Jahren|Tage|Minuten))"
    rf"|(?i:in den (?:[2-9]0ern|(?:{_DE_TENS})ern)|la (?:vingt|trent|quarant|cinquant|soixant)aine"
    rf"|(?:vingt|trent|quarant|cinquant|soixant)aine d['’]années|sulla (?:{_IT_TENS})ina|(?:{_IT_TENS})ina d['’]anni"
    rf"|(?:{_IT_TENS})['’]anni)"
)
_DECADE = r"(?i:[2-9]0s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)"
# "late 40s", "mid-30s", "early twenties", "40-something", "fortysomething", "30ish"
_ROUGH = rf"(?:(?i:(?:early|mid|late)[- ]?{_DECADE}|(?:[1-9]0|{TENS})[- ]?(?:something|ish))|{_ROUGH_FOREIGN})"
# Years in the languages whose field names follow; "Jahre alt", "jaar oud", "years old" are taken whole.
_YEARS = (
    r"(?i:years?(?: old)?|yrs?\.?(?: old)?|y\.?o\.?|y/o|Jahren?(?: alt)?|J\.|ans|años|anos|jaar(?: oud)?|anni|ani|"
    r"lat|let|"
    r"år(?: gammal| gammel)?|vuotta|éves|év|yaşında|yaş|tahun|tuổi|saal|lata|let|l\.|roků|лет|года|год|"
    r"months?(?: old)?|mos?\.|weeks?(?: old)?|wks?\.?|days?(?: old)?|Monate?n?|mois|meses|mesi|maanden|miesięcy|"
    r"månader)"
)
_WORD_AND = r"(?:and|&|y|und|et|e|og|och|i|en)"
# An age after a cue: a number, a list of them ("34, 36 and 7"), or a rough age; a qualifier before it ("about 70")
# and years after it ("67 Jahre") are part of it.
_QUALIFIER = (
    r"(?i:only|just|nearly|almost|about|around|approx\.?|approximately|roughly|circa|ca\.|c\.|over|under|barely|"
    r"already|still|now|both|between|pushing|gerade|erst|schon|bald|jetzt|fast|etwa|ungefähr|ya|casi|apenas|unos|unas|"
    r"cerca de|environ|presque|déjà|già|quasi|circa|quase|cerca|bijna|ongeveer|pas|nog|sweet|no older than|"
    r"no younger than|not older than|~)"
)
# A range: "30-35", "25–30", "8 or 9", "nineteen or twenty", "40 bis 45"
_RANGE = rf"(?:\s?[-–—]\s?(?:1[01]\d|\d{{1,2}})\b(?![-–/.]\d)| (?:or|to|bis|oder|ou|tot|à|or maybe) {_AGE_NUMBER})"
_AGE_VALUE = (
    rf"(?:{_QUALIFIER}\s?)?(?:{_ROUGH}|{_AGE_NUMBER}"
    rf"(?:{_RANGE}|(?:, (?:1[01]\d|\d{{1,2}})\b(?![.,]\d|\s?(?:cm|kg|lbs?|m)\b))*(?: {_WORD_AND} {_AGE_NUMBER})?))"
    rf"(?:\s?{_YEARS}(?![\w-])"
    rf"(?:,? (?:and )?\d{{1,2}}\s?(?i:months?|mos?\.?|Monate|meses|mois|mesi|maanden)(?: old)?\b)?)?"
)
# An age between commas after a name or a role ("Amara, twenty-nine,", "Elderly man, approx 85,", "REID, 71 YRS,")
_BETWEEN_COMMAS = rf"(?:{_QUALIFIER}\s?)?(?:1[01]\d|\d{{1,2}}|{_NUMBER_WORD})(?:{_RANGE})?(?:\s?{_YEARS})?"
_IN_BRACKETS = (
    rf"(?:(?:(?!(?i:over|under)\b){_QUALIFIER}\s)?(?:\d{{1,3}}\+?|{_NUMBER_WORD})(?:\s?½| and a half)?(?:{_RANGE})?"
    rf"|{_ROUGH}|(?i:{TENS})-?ish)"
)
# What may close a bracket with an age: ")" or a doubt ("Ruby (8 or 9, not sure)")
_BRACKET_END = r"(?: now)?(?:\)|, (?i:not sure|maybe|i think|approx\.?|roughly)\b)"
_RELATION = (
    r"(?:son|daughter|child|kid|boy|girl|baby|mother|mum|mom|father|dad|husband|wife|partner|brother|sister|"
    r"grandmother|grandma|grandfather|grandpa|granddaughter|grandson|mother-in-law|father-in-law|patient|"
    r"uncle|aunt|nephew|niece|friend|nan|nana|nanna|gran|granny|twins|kids|children|sons|daughters|boys|girls|"
    r"cousin|neighbour|neighbor|colleague|roommate|flatmate|boyfriend|girlfriend|fiancée?|stepson|stepdaughter|"
    r"grandchild|grandkid|toddler|teenager|infant|newborn|godson|goddaughter|relative|pensioner|senior|retiree|"
    r"widow|widower|grandad|granddad|oldest|youngest|eldest|bf|gf|hubby|bestie|sis|bro|stepmom|stepmum|stepdad)"
)
# People a text may give the age of, by role ("The caller is 81"), and capitalised words that are no person.
_PERSON_WORD = (
    r"customer|client|claimant|patient|applicant|passenger|caller|member|tenant|resident|victim|guest|user|"
    r"traveller|traveler|man|woman|lady|gentleman|driver|student|pupil|child|kid|baby|boy|girl|owner|holder|pt|"
    r"person|subject|participant|employee|worker|candidate|buyer|seller|sender|recipient|insured|policyholder|"
    r"adults?|people|persons|pax|me|myself|guests|passengers|travellers|occupants|members|cliente|paciente|kunde|"
    r"kundin|klient|klientka|patientin|passager|passagère"
)
_NOT_A_PERSON = (
    r"(?:It|This|That|There|Here|What|Which|Who|Everything|Nothing|Total|Price|Score|Rating|Room|Gate|Order|Page|"
    r"Chapter|Episode|Season|Version|Level|Size|Number|Temperature|Distance|Time|Weight|Height|Length|Windows|Office|"
    r"Verse|Part|Step|Phase|Section|Table|Figure|Line|Row|Seat|Platform|Terminal|Floor|Unit|Apt|Flat|Box|Lot|Block|"
    r"Route|Bus|Flight|Track|Item|Question|Round|Stage|Week|Day|Year|Month|Grade|Class|Group|Team|Zone|Area|Door|"
    r"Bay|Lane|Exit|Ward|Bed|Case|Ticket|Invoice|Issue|Release|Build|Model|Series|Type|Volume|Vol|Book|Act|Scene|"
    r"Article|Paragraph|Rule|Note|Slide|Game|Match|Set|Lap|Court|Hole|No|Nr|Tab|Column|Rank|Top|Pro|Max|Mini|Gen|"
    r"Mark|Mk|Star|Wars|Trek|Iron|Man|Toy|Story|Fast|Furious|Rocky|Saw|Scream|Halloween|Final|Fantasy|Call|Duty|"
    r"Plot|Sector|House|Road|Street|Avenue|Suite|Tower|Wing|Gali|Nagar|Colony|Survey|Highway|Hwy|Pier|Dock|Hall|Lab|"
    r"Studio|Shop|Counter|Desk|Channel|Region|District|Haus|Stock|Etage|Wohnung|Zimmer|Km|Mile)"
)
_SEX = r"(?:[MF]|(?i:male|female|masculino|femenino|masculin|féminin|männlich|weiblich|hombre|mujer|homme|femme))"
_SEXED_AGE = r"(?P<value_sexed>(?:1[3-9]|[2-9]\d)[MF])"  # "27M": 13-99, so that "5M" (five million) stays
# What may follow an age said with a verb: a stop, or a word that ends the clause ("and", "next week", "ayer").
_AFTER_SAID = (
    r"(?=\s*(?:[.,;!?)—–]|$|\s+(?i:and|but|now|today|next|this|last|in|on|soon|already|tomorrow|yesterday|so|"
    r"because|since|when|who|with|yet|i|maybe|perhaps|probably|or|"
    r"y|und|et|e|og|och|ja|ayer|hoy|heute|gestern|morgen|demain|hier|oggi|ieri|domani|igår|idag|im|en|el|la|"
    r"geworden|gewesen|cumplidos|compiuti|feitos|maybe|older|younger|or so|ish|m|f|no|na)\b))"
)
# Verbs (and their subjects) that say a person's age: "I'm 29", "ich bin 45", "tengo 34", "j'ai 34 ans"
_SAID = (
    r"i'm|i am|im|who is|who's|he is|she is|he's|she's|hes|shes|i was|he was|"
    r"she was|ich bin|er ist|sie ist|"
    r"ik ben|hij is|ze is|zij is|jag är|han är|hon är|jeg er|han er|hun er|olen|hän on|jestem|soy|tengo|tiene|"
    r"tenía|sono|tenho|tem|j'ai|il a|elle a|he has been|she has been|i have been|i've been"
)
# Relations in the languages of the units ("Mijn moeder is achtenzeventig", "Ma fille a vingt-deux ans")
_FOREIGN_RELATION = (
    r"moeder|vader|zoon|dochter|oma|opa|mutter|vater|sohn|tochter|oma|opa|mann|ehemann|ehefrau|enkel|enkelin|"
    r"madre|padre|hijo|hija|abuela|abuelo|marido|esposa|nieto|nieta|mère|père|fils|fille|mari|grand-mère|"
    r"grand-père|figlio|figlia|nonna|nonno|marito|moglie|mãe|pai|filho|filha|avó|avô|syn|córka|matka|ojciec|"
    r"mamma|papà|papá|mamá|maman|papa|mama|son|dotter|mor|far|farmor|mormor|morfar|farfar"
)
# Field names for an age in several languages; those that are also words of English ("alter", "alder", "eta")
# need a colon after them.
_FIELD_BARE = (
    r"age|edad|edat|âge|leeftijd|idade|wiek|ålder|aldur|ikä|yaş|věk|vek|vârsta|vârstă|varsta|umur|usia|"
    r"életkor|tuổi|возраст|ηλικία|amžius|vecums|vanus|lebensalter|年齢|年龄|나이|العمر|גיל|อายุ|आयु|उम्र"
)
_FIELD_COLON = r"ages|alter|alder|età|eta|starost|umri|kor|umar|umr|umra|edat"
# "turned 30", "cumplí 40", "wird 80", "fyller 50": verbs of turning an age, in several languages.
_TURN = (
    r"turned|turning|turns|is now|(?:he|she|i|you|they|who)(?: will|'ll) (?:be|turn)|cumplí|cumple|cumplió|cumplirá|"
    r"cumplo|wird|wurde|"
    r"fyller|fyllde|fylde|täyttää|täytti|compie|compirà|ha compiuto|completa|completou|fez|fará|wordt|werd|"
    r"skończył|skończyła|kończy|fête ses|fêtera ses|pushing|going on|knocking on|"
    r"(?:he|she|they) (?:looked|looks|seemed|seems|appeared|appears)(?: to be)?"
)
_ORDINAL_WORD = (
    r"(?i:(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-?)?(?:first|second|third|fourth|fifth|"
    r"sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|\w+teenth|\w+tieth)"
)
_BIRTHDAY = r"(?i:birthday|bday|b-day|geburtstag|anniversaire|cumpleaños|compleanno|verjaardag|urodziny|födelsedag)"
_NAME = rf"[{CAPITALS}][\w'-]+"  # a capital (Latin-1 or Latin Extended-A) and the rest of a name
# Where a date of birth ends before an age: "DOB 02.09.1958, ", "Date of birth: 1959-02-17, " (look-behinds of fixed
# width, each tried only after ", ").
_DOB_DATES = (
    *(rf"\d{{{day}}}[./-]\d{{{month}}}[./-](?:19|20)\d\d" for day in (1, 2) for month in (1, 2)),
    r"(?:19|20)\d\d-\d\d-\d\d",
    r"\d\d/\d\d/\d\d",
)
_AFTER_DOB = (
    "(?<=, )(?:"
    + "|".join(
        rf"(?<=(?i:{label}){separator}{date}, )"
        for label in ("dob", r"d\.o\.b\.", "date of birth")
        for separator in (" ", ": ", ":", " - ")
        for date in _DOB_DATES
    )
    + ")"
)
# Where a context word is needed but is no part of the age, the age is the named group that matched (`value_*`).
AGE = re.compile(
    # "42 years old", "67 y/o", "19 yrs old", "a 42-year-old", "an 18-month-old", "ninety-one years of age"
    rf"\b{_AGE_NUMBER}(?i:[- ]?(?:years?|yrs?|months?|weeks?)(?:[- ]old|\s+(?:of\s+age|young))|\s?(?:y/o|y\.o\.|yo)"
    r"|-(?:year|month|week)s?-old)"
    r"(?![\w/])"
    # "a 45-jährige", "48-vuotias", "en 7-åring"
    rf"|\b\d{{1,3}}-?(?i:jährige[rnms]?|jährig|åring|årig|vuotias|летн\w+)\b"
    # "aged 42", "aged 6 and 9", "aged 4/7/9", "AGED 91", "âgée de 72 ans", "im Alter von 80"
    rf"|\b(?P<value_aged>(?i:aged|âgée?s? de|agée?s? de|im alter von|a la edad de|all'età di|com a idade de)\s?:?\s?"
    rf"{_AGE_VALUE}(?:/\d{{1,2}}){{0,6}})\b"
    # a field: "age: 42", "Age 58", "at the age of 76", "Child's age: 5", "Edad: 19", "Alter des Kindes: 9",
    # "Âge : 39 ans", "ålder 27", "Ages: 34, 36 and 7", "Age: approx. 50", "Age: 40 something"
    rf"|\b(?i:{_FIELD_BARE})(?! (?i:range|group|groups|limit|restriction|bracket|requirement|minimum|maximum|min|max|"
    rf"band|category|rating|verification|gate)\b)(?:\s*[:=：]|\s+[-–—]|\s+is|\s+of|(?: [\w'()]+){{1,5}}?\s*[:=：])?\s*"
    rf"(?P<value_age>{_AGE_VALUE}|(?i:[1-9]0 something))(?![\w+-])"
    rf"|\b(?i:{_FIELD_COLON})(?: [\w']+){{0,3}}?\s*[:=：]\s*(?P<value_field>{_AGE_VALUE})(?![\w+-])"
    # "my kids, ages 5 and 8"
    rf"|\b(?i:ages):? (?P<value_ages_slash>\d{{1,2}}(?:/\d{{1,2}}){{1,6}})\b(?![/.-]\d)"
    rf"|\b(?i:ages) (?P<value_ages>{_AGE_NUMBER}(?:, \d{{1,2}})*(?: and {_AGE_NUMBER}))\b(?! and up| and over)"
    # "I'm 29", "I am 37", "I turned 30", "turning 25", "who is 84", "She's only nineteen", "I'm retired, 72,"
    rf"|\b(?i:{_SAID}|{_TURN})(?: [a-z]+,)? (?P<value_said>{_AGE_VALUE}){_AFTER_SAID}"
    # "The caller is 81 and", "Ingeborg is 88 and", "The tenant is twenty-two,", "customer is late 40s,"
    rf"|\b(?:(?i:{_PERSON_WORD})|(?!{_NOT_A_PERSON}\b){_NAME}) "
    rf"(?i:is|'s|was|looked|looks|seemed|seems|appeared|appears) "
    rf"(?P<value_person_is>{_AGE_VALUE}){_AFTER_SAID}"
    # a sex and an age: "F, 52", "(M, 38)", "27M", "41F", "Abena Owusu, 58 F,", "male, 52", "F/29", "63/M",
    # "(34, M)"
    rf"|(?:^|(?<=[\s(,]))[MF], (?P<value_sex_first>\d{{1,3}})\b(?![.,]\d)"
    rf"|\b(?i:male|female|masculino|femenino|masculin|féminin|männlich|weiblich|hombre|mujer|homme|femme),? "
    rf"(?P<value_sex_word>{_AGE_VALUE})(?=[,.;)]|\s*$)"
    rf"|(?<![\w/])[MF] ?/ ?(?P<value_sex_slash>\d{{1,3}})\b(?![/.]\d)"
    rf"|\((?:[MFmfw]|{_SEX}),\s?(?P<value_bracket_sex_first>\d{{1,3}}|{_NUMBER_WORD})\)"
    rf"|(?<![\w/])(?P<value_slash_sex>\d{{1,3}})/[MF]\b(?!/)"
    rf"|\((?P<value_bracket_sex>\d{{1,3}}),\s?{_SEX}\)"
    rf"|(?:^|(?<=\n)|(?<=\()|(?<=; )|(?<=: )|(?<=I'm )|(?<=I am )){_SEXED_AGE}\b(?![\w'])"
    rf"|(?<=, )(?P<value_sexed_lower>(?:1[3-9]|[2-9]\d)[mfMF])(?=[,.;)]|\s*$)"
    rf"|(?<=, )(?P<value_sex_after>\d{{1,3}}),? (?:[MF]|(?i:male|female))\b(?=[,.;)]|$)"
    rf"|(?:^|(?<=\n))[MF] (?P<value_sex_space>\d{{1,3}})(?=[,.;]|\s*$)"
    # a unit of another language: "34 años", "70 ans", "Er ist 45 Jahre alt", "ho 25 anni", "Marta Nowak (52 J.)"
    rf"|\b(?P<value_unit>(?:\d{{1,3}}|{_NUMBER_WORD}|(?i:{_FOREIGN_SMALL})) "
    rf"(?:ans|años|anos|Jahre(?: alt)?|jaar(?: oud)?|anni|ani|lat|lata|anys|года|år|vuotta|éves|"
    rf"yaşındayım|yaşındaydım|yaşındaki|yaşında|yaş|tuổi|saal|лет|ετών|latka|latek))(?![\w-])"
    rf"|\b(?P<value_cjk>\d{{1,3}}\s?(?:歳|岁|才|세|살))"
    # a list of ages in brackets before their unit: "mes parents (70 et 73 ans)", "los niños (9 y 12 años)" (not a
    # range, "les 15-24 ans", nor maturities, "bonos a 2, 5 y 10 años")
    rf"|\((?P<value_unit_list>\d{{1,3}}(?:, \d{{1,3}}){{0,3}},? {_WORD_AND} \d{{1,3}} "
    rf"(?:ans|años|anos|Jahre|jaar|anni|ani|lat|år|anys))\)"
    # Romanian "33 de ani" after a name or "am"/"are" (I have, has; not "o tradiție de 100 de ani")
    rf"|(?:(?<=, )|(?<=\bam )|(?<=\bare )|(?<=\bAm ))(?P<value_ro>\d{{1,3}} de ani)\b"
    # Swahili, the unit first: "umri miaka 34"
    rf"|\b(?i:miaka) (?P<value_sw>\d{{1,3}})\b(?![.,]?\d)"
    # "je mi 45 let", "mám 47 rokov a" (Czech, Slovak: "I am", so no span of time), "man 33 metai" (Lithuanian),
    # "i 40-årsåldern" (Swedish: in her forties), "40-sai" (Japanese, romanised)
    rf"|\b(?i:je mi|je mu|je jí|bylo mi|bylo mu|bude mi) (?P<value_cs>\d{{1,3}}(?: (?:let|roků|rokov|roky)\b"
    rf"|(?=\s*(?:[,.;!?]|$))))"
    # "my friend and I (both 23, from Argentina)" ("the rooms (both 12, with sea view)" are no people)
    rf"|(?:(?<=\bI )|(?<=\bme )|(?<=\bwe )|(?<=\bus ))\((?i:both) (?P<value_both>\d{{1,2}})(?=[,;)])"
    # one's own baby's months in other languages: "vi har en baby på 3 måneder", "nuestro bebé de 5 meses", "unser
    # Baby von 4 Monaten" (not a shop's "Body bébé 6 mois" nor advice's "un bebé de 6 meses")
    rf"|\b(?i:har en|have a|has a|tenemos un|tengo un|nuestro|nuestra|mi|notre|mon|unser|unsere|mein|meine|onze|"
    rf"mijn|vår|vores|min|mitt|mój|moje|nasz|naše|náš|il nostro|la nostra|il mio|la mia|our|my) "
    rf"(?i:baby|bebé|bebe|bébé|vauva|niemowlę|miminko|bambino|bambina|neonato|neonata) "
    rf"(?i:på|de|von|van|di|på|of|w wieku|ve věku)? ?(?P<value_baby>\d{{1,2}} (?i:måneder|månader|maanden|Monaten?|"
    rf"meses|mesi|mois|miesięcy|měsíců|kuukautta|uger|veckor|weken|Wochen|semanas|settimane|semaines))\b"
    rf"|\b(?i:mám|mám už) (?P<value_sk>\d{{1,3}} (?:rokov|let))(?=\s*(?:[,.;!?]|$)|\s+a\b)"  # not "mám 3 roky záruky"
    rf"|\b(?i:man|jam|jai) (?P<value_lt>\d{{1,3}} (?:metai|metų))\b"
    # Croatian, Serbian, Bosnian "I am 34" ("Imam 10 godina iskustva" is experience)
    rf"|\b(?i:imam) (?P<value_hr>\d{{1,3}} (?:godina|godine))(?=\s*(?:[.,;!?]|$))"
    rf"|\b(?P<value_sv_decade>[1-9]0-årsåldern)\b|\b(?P<value_sai>\d{{1,3}}-?sai)\b"
    rf"|\((?P<value_bracket_unit>\d{{1,3}}\s?(?:J\.|j\.|y\.?|yrs?\.?|a\.|Jahre|ans|años|anos|anni|mos?\.?|months?|wks?|weeks?))\)"
    # "my grandma is 101 and", "Aiyana, 14, was refused", "Emil, 8."
    # "my dad's 84 and", "my nan is ninety next week", "My twins are three.", "MY SON TOMÁS IS 15 AND",
    # "my husband will be 60 next month", "my neighbour is 78,"
    rf"|\b(?i:{_RELATION}|{_FOREIGN_RELATION})(?: {_NAME})?(?i:'s| is| are| was| will be| 'll be| turns| turned|"
    rf" just turned| just hit| hit| hits| reached| has turned|"
    rf" ist| wird| est| a| es| tiene| cumple| è| ha| compie| é| tem| faz| heeft| wordt| är| fyller| jest| ma) "
    rf"(?P<value_relation_is>{_AGE_VALUE}){_AFTER_SAID}"
    # "my kids, 8 and 11,", "My 2 boys, 4 and 7,", "and I (48)"
    rf"|\b(?i:my|our) (?:\d |(?i:two|three|four) )?(?i:kids|children|boys|girls|sons|daughters|twins|grandkids|"
    rf"grandchildren),? (?P<value_kids>\d{{1,2}}(?:, \d{{1,2}})* (?:and|&) \d{{1,2}})\b(?![.,]?\d| (?i:[a-z]+ ago))"
    rf"|(?<![\w])I \((?P<value_i>\d{{1,2}})\)"
    rf"|\b{_NAME}, (?P<value_after_name>{_BETWEEN_COMMAS})(?=[,;)]|\.(?!\s?\d)|\s*$)"
    # "the pensioner, 81, was", "my son, 18 months, has", "second child 18 months"
    rf"|\b(?i:{_RELATION}|{_PERSON_WORD}), (?P<value_after_role>{_BETWEEN_COMMAS})(?=[,;)]|\.(?!\s?\d)|\s*$)"
    rf"|\b(?i:{_RELATION}),? (?P<value_role_months>\d{{1,2}} (?i:months?|weeks?)(?: old)?)\b"
    # "DOB: 12/03/1990 (34)"
    # "Passenger list: Jan Novák 45, Eva Nováková 43", "Guests: Anna 34, Ben 36": a name and a number, twice or more
    rf"|\b(?!{_NOT_A_PERSON}\b){_NAME}(?: {_NAME})? (?P<value_name_list>\d{{1,2}}(?:(?:[,;]| and) "
    rf"(?!{_NOT_A_PERSON}\b){_NAME}(?: {_NAME})? \d{{1,2}})+)\b(?![.,]?\d)"
    # "my daughter (16)", "Anneliese Hoffmann (68)", "(Indian, 31)"
    rf"|\b(?i:{_RELATION}|{_PERSON_WORD}|{_FOREIGN_RELATION}) "
    rf"\((?:(?i:they're|they are|theyre|both) )?(?P<value_relation>{_IN_BRACKETS}(?:(?:, | and ){_IN_BRACKETS})*)"
    rf"{_BRACKET_END}"
    rf"|(?<!\bthe )(?<!\bThe )\b{_NAME} \((?P<value_named>{_IN_BRACKETS}){_BRACKET_END}"
    # "my son who is 9 got a phone": after "who is" any word but a unit ("who is 5 minutes away")
    rf"|\b(?i:who is|who's|who turned|who turns) (?P<value_who_is>{_AGE_NUMBER})"
    rf"(?= (?!(?i:minutes?|mins?|hours?|hrs?|days?|weeks?|km|miles?|metres?|meters?|feet|ft|cm|kg|lbs?|pounds?|"
    rf"euros?|dollars?|points?|percent|times|steps|blocks|stops|floors?)\b)[a-z]+)"
    # Polish "lat" before the number: "Ewa lat 34,", "Pacjent lat 58,"
    rf"|\b{_NAME},? lat (?P<value_lat>\d{{1,3}})(?=[,;)]|\.(?!\d)|\s*$)"
    # "(Jg. 1958, 66)", "Name/Age: Jonas Petraitis / 29"
    # (a year of birth before it is a date: the look-behind keeps it out of the match)
    rf"|(?<=[12]\d{{3}}, )(?P<value_year_then_age>\d{{1,2}})(?=\))"
    # a referral's "Re: Mr Kwabena Mensah, DOB 02.09.1958, 66": a number after a date of birth, ending the clause (the
    # date is no part of the match: `_AFTER_DOB`)
    rf"|{_AFTER_DOB}(?P<value_dob_then_age>[1-9]\d?|1[01]\d)(?=[,;)\n]|\.?\s*$)"
    rf"|(?<=[12]\d{{3}} )\((?P<value_year_bracket>\d{{1,2}})(?: now| today| this year)?\)"
    rf"|\b(?i:name)\s?/\s?(?i:age)\s?:[^\n/]{{1,60}}/\s?(?P<value_name_age>\d{{1,3}})\b"
    # "DOB / Age: 04/09/1979 / 45": the date before it is no part of the match (it would overlap NOT_AN_AGE's date)
    rf"|(?:(?<=[./-](?:19|20)\d\d / )|(?<=[./-](?:19|20)\d\d/ ))(?P<value_dob_age>\d{{1,3}})\b(?![./-]\d)"
    # a row of comma- or semicolon-separated values: a name, the age, a town ("Jonas Eriksson,34,Göteborg")
    rf"|(?:^|(?<=\n)){_NAME}(?: {_NAME}){{1,2}}(?P<sep>[,;])(?P<value_csv>\d{{1,2}})(?P=sep)(?=[^\W\d_])"
    # "14 (minor)", "19 (adult)"
    rf"|\b(?P<value_minor>\d{{1,2}}) (?=\((?i:minor|adult|child|teen|teenager|infant|senior|pensioner)\))"
    # "kasia here, 34", "Tomasz here, 33, moving"
    rf"|\b(?i:here|speaking), (?P<value_here>\d{{1,2}})(?=[,.;]|\s*$)"
    rf"|\([A-Z][a-z]+, (?P<value_listed>\d{{1,3}})\)"
    # "a boy of twelve", "a woman of about 70"
    rf"|\b(?i:boy|girl|man|woman|lady|gentleman|child|kid|son|daughter|patient|person) of "
    rf"(?P<value_of>(?:{_QUALIFIER} )?{_AGE_NUMBER})(?![\w%-]|\s?(?:kg|cm|m|%))"
    # "a retired fisherman of eighty-one", "a widow of 80" (never "a teacher of 20 years": experience)
    rf"|\b(?i:fisherman|farmer|widow|widower|pensioner|retiree|veteran|grandmother|grandfather|grandma|grandpa|"
    rf"granny|grandad|granddad) of (?P<value_role_of>{_AGE_NUMBER})(?![\w%-]|\s?(?:kg|cm|m|%)|\s(?i:years?|yrs))"
    # "a single dad of 43", "a mum of two, 35," (a parent "of two" is of two children: an age is 16 or more)
    rf"|\b(?i:dad|mum|mom|father|mother|parent) of "
    rf"(?P<value_parent_of>1[6-9]|[2-9]\d|(?i:{TENS})(?:[- ](?i:{UNITS}))?"
    rf"|(?i:sixteen|seventeen|eighteen|nineteen))(?![\w%-]|\s(?i:years?|yrs|kids|children|boys|girls))"
    rf"|\b(?i:dad|mum|mom|father|mother|parent) of \w+, (?P<value_parent_age>{_BETWEEN_COMMAS})"
    rf"(?=[,;)]|\.(?!\s?\d)|\s*$)"
    # "Sofia - 7 - allergic to nuts": a listed name, then the age between dashes
    rf"|(?:^|(?<=\n))(?!{_NOT_A_PERSON}\b){_NAME} [-–] (?P<value_dashed>\d{{1,2}}) [-–] "
    # "At sixty-two I never thought", "At 45, she retired": an age at the start of a sentence, before its subject
    rf"|(?:^|(?<=[.!?] )|(?<=\n))(?i:at) (?P<value_at>1[3-9]|[2-9]\d|(?i:{TENS})(?:[- ](?i:{UNITS}))?)"
    rf"(?=,? (?:I|he|she|we|they|you|my|his|her)\b)"
    # German "wird nächsten Monat dreißig": up to two words between "wird" and the age at the end of the clause
    rf"|\bwird (?:(?!(?:am|im|um|bis|ab|vom|zum|in|an)\b)\w+ ){{1,2}}(?P<value_wird>{_AGE_NUMBER}(?: Jahre(?: alt)?)?)"
    rf"(?=[!?,;]|\.(?!\s?\d)(?:\s|$)|\s*$)"
    # chat: "hey its ravi, 31, looking for": a word after "it's"/"this is", then the age between commas
    rf"|\b(?i:it's|its|this is|i'm|im) [a-z]{{2,}}, (?P<value_intro>\d{{1,2}})(?=[,.;]|\s*$)"
    # Spanish notes write "a." for años: "Paciente femenina de 67 a, hipertensa"
    rf"|\b(?i:de) (?P<value_es_a>\d{{1,3}} a\.?)(?=[,;]|\s*$)"
    rf"|\b(?i:jongen|meisje|kind|vrouw|junge|mädchen|niño|niña|chico|chica|ragazzo|ragazza|bambino|bambina|rapaz|"
    rf"menino|menina) (?:van|von|de|di) (?P<value_of_foreign>\d{{1,2}}(?: (?:años|anos|ans|anni|jaar|Jahren?))?)"
    rf"(?![\w%.,-])"
    # "her 80th birthday", "my son's 18th birthday", "seinen 80. Geburtstag"
    rf"|\b(?P<value_birthday>\d{{1,3}}(?:st|nd|rd|th|\.)|{_ORDINAL_WORD}) {_BIRTHDAY}"
    # a relative's round birthday without the word, ending the clause or before its party or day: "Dad's 50th:",
    # "nanas 90th on sunday" (not "the company's 50th anniversary", "mom's 3rd chemo", "son's 90th minute winner",
    # "brother's 18th hole")
    rf"|\b(?i:dad|mum|mom|nan|nana|nanna|gran|granny|grandma|grandpa|grandad|granddad|wife|husband|son|daughter|"
    rf"brother|sister|uncle|aunt|auntie|aunty|cousin|bestie|mother|father)['’]?s "
    rf"(?P<value_relatives_nth>[1-9]0th|1[68]th|21st)\b"
    r"(?=[ \t]*(?:[,.;:!?)\n]|$)| (?i:on|next|this|is|was|party|bash|do|celebrations?|dinner|lunch|drinks|cake|card|"
    r"present|gift|surprise)\b)"
    # "infant, 11 months", "baby 6 weeks"
    rf"|\b(?i:infant|baby|newborn|toddler)\b,? (?P<value_infant>\d{{1,2}} (?i:months?|weeks?|days?))\b"
    # "a retired teacher, seventy this year"
    rf"|(?<=, )(?P<value_this_year>{_AGE_NUMBER})(?= this year\b)"
    # "in her 50s", "in our thirties", "in his early twenties"; "late 40s", "mid-30s", "a 30-something teacher"
    rf"|\bin (?:his|her|their|my|our|your) (?:(?:early|late|mid)[- ]?)?(?:\d0s|twenties|thirties|forties|fifties|"
    rf"sixties|seventies|eighties|nineties)\b"
    rf"|(?<!the )(?<!The )(?<!THE )(?<!'s )(?<![\w-])(?i:(?:early|mid|late)[- ]?{_DECADE}"
    rf"|(?:[1-9]0|{TENS})(?:-|)something|(?:{TENS})-?ish|{_ROUGH_FOREIGN})(?![\w-])"
)
# The age of a thing ("a 10-year-old bug", "the laptop is 3 years old"), a span of time ("vor 3 Jahren", "3 años de
# garantía"), or a date ("Donnerstag, 14. November"): an age match overlapping one of these is dropped.
_THING = (
    r"(?:bug|bugs|issue|car|cars|laptop|computer|pc|phone|house|home|flat|building|roof|boiler|tree|wine|whisky|"
    r"whiskey|scotch|product|item|machine|device|model|account|company|business|firm|brand|code|codebase|problem|"
    r"tradition|recipe|film|movie|book|song|record|system|software|app|version|router|printer|tv|bike|sofa|mattress|"
    r"fridge|washer|dryer|battery|tyres?|tires?|unit|package|parcel|ticket|post|thread|email|message|question|"
    r"debate|mystery|case|law|contract|policy|subscription|card|dog|cat|puppy|kitten|horse|pet|bird|fish|bread|milk|"
    r"food|news|data|backup|comment|review|photo|picture|order|receipt|invoice|lift|elevator|bridge|church|school)"
)
# Things in the languages of the units above: "Das Gerät ist 5 Jahre alt", "mi coche tiene diez años".
_FOREIGN_THING = (
    r"(?i:gerät|handy|auto|wagen|laptop|computer|rechner|haus|wohnung|akku|fahrrad|vertrag|konto|fernseher|drucker|"
    r"router|kühlschrank|waschmaschine|paket|heizung|dach|appareil|téléphone|portable|voiture|ordinateur|maison|"
    r"contrat|compte|frigo|móvil|movil|teléfono|telefono|coche|carro|ordenador|casa|lavadora|cuenta|nevera|"
    r"cellulare|macchina|conto|telemóvel|celular|computador|apparaat|telefoon|fiets|huis|rekening|wasmachine|"
    r"gebäude|bâtiment|immeuble|edificio|edifício|prédio|gebouw|palazzo|kirche|église|iglesia|chiesa|igreja|kerk)"
)
_THING_WORD = (
    r"(?i:das|der|die|dieses|mein|meine|unser|unsere|dein|le|la|l'|mon|ma|notre|ce|cet|cette|el|mi|nuestro|este|"
    r"esta|il|lo|o|a|meu|minha|nosso|este|het|mijn|ons|onze|dit|deze)"
)
NOT_AN_AGE = re.compile(
    rf"\b(?i:it|this|that|which) (?i:turns|turned|turning|is turning|will turn|'ll turn) {_AGE_NUMBER}\b"
    rf"|\b{_AGE_NUMBER}[- ](?i:years?|months?|weeks?)[- ](?i:old) (?:{_THING})\b"
    rf"|\b(?i:it|this|that|the {_THING}|my {_THING}|our {_THING}|your {_THING}|{_THING})(?i:'s| is| was| are| were)"
    rf" (?:(?:only|just|nearly|almost|about|over|now) )?{_AGE_NUMBER}[- ](?i:years?|months?|weeks?)"
    rf"|\b(?i:hace|vor|seit|depuis|dans|pendant|durante|desde|por|para|per|für|há|em|za|od|po|om|sedan|selama|"
    rf"since|for|in|within|after|tra|fra|il y a) (?:\w+ )?\d{{1,3}} (?i:años|anos|ans|Jahren?|jaar|anni|ani|lat|år|"
    rf"vuotta|tahun)\b"
    rf"|\b\d{{1,3}} (?i:años|anos|ans|Jahren?|jaar|anni|ani|lat|år|vuotta|tahun) (?i:de garant\w*|di garanzia|"
    rf"Garantie|de garantie|ago|fa|geleden|sitten|temu|atrás|später|plus tard|más tarde|depois|dopo|later|lang|"
    rf"long)\b"
    rf"|\b{_THING_WORD}\s?{_FOREIGN_THING} (?i:ist|war|est|a|es|tiene|è|ha|é|tem|is|heeft)"
    rf" (?:\w+ )?(?:\d{{1,3}}|{_NUMBER_WORD}|(?i:{_FOREIGN_SMALL})) (?i:Jahre|ans|años|anni|anos|jaar)\b"
    rf"|\b(?i:garantía|garantia|garantie|garanzia|gewährleistung|warranty|contrato|contrat|contratto|vertrag)\b"
    rf"[^.\n]{{0,24}}?(?:\d{{1,3}}|{_NUMBER_WORD}|(?i:{_FOREIGN_SMALL})) (?i:años|anos|ans|Jahren?|jaar|anni|years?)\b"
    rf"|\b(?i:hace|vor|seit|depuis|dans|pendant|durante|desde|il y a|da|tra|fra|há) (?:\w+ )?"
    rf"(?:{_NUMBER_WORD}|(?i:{_FOREIGN_SMALL})) (?i:años|anos|ans|Jahren?|jaar|anni)\b"
    rf"|{DATE.pattern}"
)
# Every form of AGE holds a number (digits, a number word, a decade or an ordinal) and one of these cues: the (much
# longer) AGE pattern runs only on a text that has both. (tests/path/test_groups_forms.py checks every form's example
# passes.)


# Number words the prefilter looks for: whole words, and the first words of compounds of other languages (Swedish,
# Italian and French tens come first: "trettiofem", "settantacinque", "soixante-douze"; German and Dutch tens last).
_PREFILTER_WORDS = _trie(
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourty|fourten|sevn|twenties|thirties|forties|fifties|"
    "sixties|seventies|eighties|nineties|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    f"twelfth|{TENS}|{_FOREIGN_TENS}|{_FOREIGN_TEENS}|{_FOREIGN_SMALL}"
)
_PREFILTER_STEMS = _trie(f"{_SV_TENS}|{_IT_TENS}|vingt|trente|quarante|cinquante|soixante|quatre-vingt")
AGE_PREFILTER = re.compile(
    rf"^(?=[\s\S]*?(?:\d|(?i:te(?:en|enth|ieth)\b|\b{_PREFILTER_WORDS}\b|\b{_PREFILTER_STEMS}|und(?:{_DE_TENS})\b"
    rf"|(?:en|ën)(?:{_NL_TENS})\b|(?:{TENS})(?:something|ish)|['’]anni)))"
    rf"(?=[\s\S]*?(?:(?i:\b(?:{_SAID}) |year|yrs?\b|y/o|yo\b|y\.o\.|month|week|\bage|i'm|i am|\bim\b|turn|is now|is |"
    r"ist |est |è |é |är |jest |heeft |wordt |"
    r"'s |s \d{1,3}(?:st|nd|rd|th)\b|are |"
    r"he's|she's|hes |shes |\(|beb|béb|vauva|niemowl|miminko|neonat|"
    r", |in (?:his|her|their|my|our|your) |was |of |/|something|ish\b|\d0s|be |infant|baby|newborn|"
    rf"toddler|this year|{_FIELD_BARE}|{_FIELD_COLON}|{_TURN}|{_BIRTHDAY}|jährig|åring|årig|vuotias|летн|"
    r"\b(?:ans|años|anos|jahre|jaar|anni|ani|lat|lata|anys|года|miaka|år|vuotta|éves|yaşında\w*|tuổi|лет|ετών|"
    r"latka|latek|let|roků|"
    r"rokov|roky|metai|metų|godina|godine|\d0-årsåldern|\d+-?sai)\b|'anni|’anni|mitte |anfang |ende |"
    r"aine\b|ina d|sulla |in den |here, |speaking, |jongen|meisje|junge|mädchen|niñ|chic|ragazz|bambin|rapaz|menin)"
    r"|\d[MF]\b|\b[MF], |[,;]\d\d?[,;]| [-–] \d\d? [-–] |\bde \d{1,3} a\b|\bhits? \d|reached \d|\bA[Tt] |wird |"
    r"look(?:s|ed) |"
    r"歳|岁|才|세|살|\d[mf]\b|^[MF] |\n[MF] ))"
)
_NAME_LIST = re.compile(rf"{_NAME}(?: {_NAME})? \d{{1,2}}(?:[,;]| and) |{_NAME}(?: {_NAME}){{1,2}}[,;]\d")
_LIST_ITEM = re.compile(rf"(?:^|[,;] | and )({_NAME})")


# A number word in capitals in brackets after a word that is not in capitals: a ticker ("Tenneco Inc (TEN)").
_TICKER = re.compile(rf"(?<![{CAPITALS}\W])\W*\(\s*[A-Z]{{3,}}(?:[- ][A-Z]+)*\s*\)")


def listed_ages_are_of_names(match: str) -> bool:
    """A list of names and numbers ("Jan Novák 45, Eva Nováková 43"), or a row of values ("Jonas Eriksson,34,Göteborg"),
    is one of ages only where one of its items starts with a listed given name or surname ("Apollo 11, Gemini 4" and
    "Product Code,12,Blue" are not); a number word in capitals in brackets after a word that is not is a stock's
    ticker ("Two Harbors Investment Corp (TWO)"); every other form of AGE passes."""
    if _TICKER.search(match) is not None:
        return False
    if _NAME_LIST.match(match) is None:
        return True
    first, given, family = first_names(), given_names(), surnames()
    return any(word.upper() in first or word.upper() in given or word in family for word in _LIST_ITEM.findall(match))
