"""The `address` group: street addresses of many countries, PO boxes, units, and the postcodes and towns beside them.

US/UK/Canadian/Australian streets end in a street-type word of USPS Publication 28 ("12 Clontarf Road"); streets of
other countries carry the number after the name, with a street word as suffix ("Hauptstraße 5", "Kungsgatan 12",
"Mannerheimintie 40 A 12"), as a word of its own ("Grünwalder Weg 3", "Karl Johans gate 22") or in front ("Via
Garibaldi 14", "ul. Marszałkowska 84/92", "14 avenue Jean Jaurès"). A name and a number alone ("Dašická 688") is a
street only where the text says an address follows ("I live at", "ship to", "address:", "živim u"); so is a hotel
room or a flat that locates the writer ("I'm in Room 517."). Each street takes the unit, floor, postcode, town,
state and country lines that follow it. Japanese addresses end in block numbers ("東京都渋谷区神南1-2-3", "Kita-ku
Umeda 3-1-1"); Colombian ones name two numbered streets ("Calle 50 #12-34").
Postcodes stand alone where their shape is unmistakable (UK, Canadian, Irish) or a word says so ("zip 94105"). Where
a context word is no part of the address, the address is the named group that matched (`value_*`).
"""

from __future__ import annotations

import re

from core.path.casing import CAPITALS
from core.path.sign_offs import SIGN_OFFS

# Street-type words of USPS Publication 28 (appendix C1), written out and abbreviated, plus British/Australian ones.
STREET_TYPES = (
    "Alley|Annex|Arcade|Avenue|Ave|Bayou|Beach|Bend|Bluffs?|Bottom|Boulevard|Blvd|Branch|Bridge|Brooks?|Burgs?|"
    "Bypass|Camp|Canyon|Cape|Causeway|Centers?|Circles?|Cir|Cliffs?|Club|Commons?|Corners?|Course|Courts?|Ct|"
    "Coves?|Creek|Crescent|Crest|Crossing|Crossroads?|Curve|Dale|Dam|Divide|Drives?|Dr|Estates?|Expressway|"
    "Extensions?|Falls?|Ferry|Fields?|Flats?|Fords?|Forest|Forges?|Forks?|Fort|Freeway|Gardens?|Gateway|Glens?|"
    "Greens?|Groves?|Harbors?|Haven|Heights|Highway|Hwy|Hills?|Hollow|Inlet|Islands?|Isle|Junctions?|Keys?|"
    "Knolls?|Lakes?|Land|Landing|Lane|Ln|Lights?|Loaf|Locks?|Lodge|Loop|Mall|Manors?|Meadows?|Mews|Mills?|"
    "Mission|Motorway|Mount|Mountains?|Neck|Orchard|Oval|Overpass|Parks?|Parkways?|Pkwy|Pass|Passage|Path|Pike|"
    "Pines?|Place|Pl|Plains?|Plaza|Points?|Ports?|Prairie|Radial|Ramp|Ranch|Rapids?|Rest|Ridges?|River|Roads?|Rd|"
    "Route|Row|Rue|Run|Shoals?|Shores?|Skyway|Springs?|Spurs?|Squares?|Sq|Station|Stravenue|Stream|Streets?|St|"
    "Summit|Terrace|Ter|Throughway|Trace|Track|Trafficway|Trail|Trailer|Tunnel|Turnpike|Underpass|Unions?|"
    "Valleys?|Viaduct|Views?|Villages?|Ville|Vista|Walks?|Wall|Ways?|Wells?|"
    # and common British and Australian ones
    "Close|Rise|Parade|Esplanade|Strip|Towers?|Piazza|Riverway|Wynd|Gate|Grove|Mews|Broadway|Promenade"
)
# What may open each line of a block before its words: indentation, a quoted mail's "> ", a template's "}}", a
# list's bullet.
LINE_MARK = r"[^\w\n]{0,4}"
# A line break between an address's lines, and the marks a quoted mail or a form's template opens each line with
# ("> 12 Main St\n> Springfield", "}} Suite 627\n}} Jyderup").
_BREAK = r",?[ \t]*\n(?:[>}?|]{1,3}[ \t]?)?[ \t]*"
_SEP = rf"(?:,? |{_BREAK})"  # address lines are joined by ", " or a line break
_PLACE = r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}"
UK_CA_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d)"
_POSTCODE = rf"(?:\d{{5}}(?:-\d{{4}})?|\d{{4}}|{UK_CA_POSTCODE})\b"
# A state and the postcode of its country: "ID 83702", "NSW 2539", "QC H2J 2L3" (never "IN 1999": an Indiana ZIP
# code has five digits, so an all-caps "…MOVIE OF 2004" or "CAME OUT IN 1999" is no address).
US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|"
    "OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI|AS|MP"
)
# State codes that are English words ("London, OK?", "Sale, ON NOW", "Paris, AM or PM?"): a town takes one only with
# its postcode, as an address ("Tulsa, OK 74103").
WORD_CODES = "ON|OK|OR|ME|IN|HI|AS|DE|LA|MA|PA|CO|ID|AL|GA|SA|AM|PE|SE|TO|GO|ES|MS"
_STATE_AND_POSTCODE = (
    rf"(?:(?:{US_STATES}){_SEP}\d{{5}}(?:-\d{{4}})?|(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT){_SEP}\d{{4}}"
    rf"|(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT){_SEP}{UK_CA_POSTCODE})\b"
)
# Capitalised words a headline writes that no street or town name holds ("12 The Crescent" does hold "The"):
# function words and amounts ("5 Insurance
# Stocks That Should Rise", "8 Cannabis Stocks With Wall Street Buzz", "100 Million Fundraise Falls").
_HEADLINE_WORD = (
    r"(?:A|An|And|Or|But|To|Of|On|In|At|For|With|By|From|Its|It|Is|Are|Was|Be|That|This|These|Those|Should|"
    r"Could|Would|Will|Can|May|Must|More|Most|Than|Into|Over|Across|After|Before|About|Up|Down|Out|Why|How|What|"
    r"Who|Your|You|We|Our|My|His|Her|Their|Has|Have|Had|Do|Does|Not|Least|Million|Billion|Trillion|Thousand|Percent|"
    r"Reasons?|Stocks?|Shares?|Things|Ways|Tips|Steps)\b"
)
# Street types of an address written in capitals ("45-12 JUNCTION BLVD"): the common ones, not "PASS" or "PARK".
_CAPS_STREET_TYPES = (
    "ST|RD|AVE|BLVD|DR|LN|CT|PL|PKWY|HWY|STREET|ROAD|AVENUE|DRIVE|LANE|COURT|PLACE|TERRACE|CRESCENT|CLOSE|BOULEVARD"
)
# A street in capitals where a form's label says it is one ("PRESENT ADDRESS: 2718 CEDAR CREST LN", "ADDR 915 W. 7TH ST
# APT 2", "DELIVER TO: …", "… RESIDING AT 32 JOUBERT ST": a label at a line's start, or any address label with its
# colon) or where it heads the lines of its town and postcode ("22 QUEENS PARADE\nSCARBOROUGH\nYO11 2EG"; a year is no
# postcode: "3 PENNY LANE\nMAGICAL MYSTERY TOUR 1967"). Its name holds no function word, amount or number but an
# ordinal ("POPE TO ADDRESS 1 MILLION IN CENTRAL PARK", "ADDR 12 JMP LOOP" are none: a hostile review's).
_CAPS_ANY_STREET_TYPE = (
    rf"(?:{_CAPS_STREET_TYPES}|TERR|TER|TCE|CRES|PDE|CIR|CIRCLE|PARADE|WAY|GROVE|SQUARE|HIGHWAY|TRAIL)"
)
_CAPS_NAME_WORD = (
    r"(?!(?:IN|ON|AT|TO|THE|OF|A|AN|AND|OR|FOR|WITH|BY|FROM|IS|ARE|WAS|ANY|ALL|EACH|EVERY|SOME|NO|YOUR|MY|OUR|"
    r"MPH|KM|MILES?|MILLION|BILLION|THOUSAND|"
    r"HUNDRED|DAYS?|WEEKS?|YEARS?|HOURS?|RUNS|ISSUES|TIMES|UNITS|PCS|BOXES|JMP|BANK)\b)"
    r"(?:\d{1,3}(?:ST|ND|RD|TH)|[NSEW]\.?|[A-Z][A-Z'.-]*)"
)
_CAPS_LISTED_STREET = (
    r"(?:(?:FLAT|APT|UNIT|NO\.?) ?[A-Z]?\d[A-Z0-9-]*,? )?\d{1,6}(?:-\d{1,4})?[A-Z]?,? "
    rf"(?!(?:ST|ND|RD|TH)\b)(?:{_CAPS_NAME_WORD} ){{1,4}}{_CAPS_ANY_STREET_TYPE}\b\.?"
    r"(?:,? (?:APT|STE|SUITE|UNIT|FLAT|#) ?[A-Z]?\d[A-Z0-9-]*)?"
)
_CAPS_LABEL = (
    r"(?:(?<![^\n])[ \t]*(?:[A-Z]+ ){0,2}(?:ADDRESS|ADDR\.?|DELIVER TO|SHIP TO|SEND TO|MAIL TO)[ \t]*:?"
    r"|\b(?i:residing|resides|resident|living|lives|live) (?i:at)"
    r"|(?i:address|addr\.?|adresse|adres|adresa|dirección|direccion|endereço|indirizzo|anschrift)[ \t]*:)"
)
_CAPS_TOWN_LINE = r"[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*){0,3}"
_CAPS_POSTCODE = rf"(?:(?!(?:19|20)\d\d\b)\d{{4,5}}|{UK_CA_POSTCODE})\b"
_CAPS_STREET_LINE = (
    rf"(?<![^\n]){_CAPS_LISTED_STREET}(?=\n{_CAPS_TOWN_LINE},? (?:(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT),? \d{{4}}\b"
    rf"|(?:[A-Z]{{2,3}},? )?{_CAPS_POSTCODE})|\n{_CAPS_TOWN_LINE}\n{_CAPS_POSTCODE})"
)
# A named building between a numbered flat and its street: "Flat 12, Orchard House, 55 Queens Road" (not "Flat White,
# Coffee House, 12 Market Street").
_BUILDING = (
    rf"(?:[A-Z][\w'-]*(?: [A-Z][\w'-]*){{0,2}} "
    rf"(?:House|Court|Lodge|Mansions|Buildings|Cottages?|Tower|Apartments|Heights|Hall|Point|Block){_SEP})"
)
# A unit on the line under its street, all of the line ("12 Main St\nApt. 4\nSpringfield", "Apt B", "#4B"), with a
# number or a letter: a line that starts with a unit's word may be prose ("Flat is fine", "Unit 4 passed").
_LINE_UNIT = (
    rf"{_BREAK}(?:(?i:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Apto\.?|lgh\.?) ?#?(?:[\w-]*\d[\w-]*|[A-Z]\b)"
    r"|#[ \t]?\d[\w-]*)(?=[ \t]*(?:[,\n]|$))"
)
_STREET = (
    # a Queens house number has a hyphen: "45-12 JUNCTION BLVD"
    rf"(?:\b\d{{1,6}}(?:-\d{{1,4}})?[A-Za-z]?(?:/\d{{1,6}})? "
    rf"|\b(?:Flat|Studio|Apartment|Unit|Suite) [A-Za-z0-9/-]+{_SEP}(?:\d{{1,6}} )?"
    rf"|\b(?:Flat|Apartment|Unit) [A-Z]?\d{{1,4}}[A-Z]?{_SEP}{_BUILDING}(?:\d{{1,6}} )?)"
    rf"(?!{_HEADLINE_WORD})[A-Z0-9][\w.'-]*(?: (?!{_HEADLINE_WORD})[A-Z0-9][\w.'-]*){{0,3}} "
    rf"(?:{STREET_TYPES})\b\.?"
    rf"(?:,? (?:Apt\.?|Apartment|Suite|Ste\.?|Unit|#) ?[A-Za-z0-9-]+|{_LINE_UNIT})?"
)
# A street in capitals, only with an apartment or suite number that ends its line or clause: "45-12 JUNCTION BLVD APT
# 3F / CORONA NY" (not "4 DR SEDAN", "1 HEAD CT", "2 TB EXTERNAL HARD DRIVE, AUSTIN TX 78701", "12 PRESIDENTIAL COURT
# SUITE 4 NIGHTS").
_CAPS_STREET = (
    r"\b\d{1,6}(?:-\d{1,4})?[A-Z]? (?!(?:ST|ND|RD|TH)\b)[A-Z][A-Z'.-]*(?: [A-Z][A-Z'.-]*){0,2} "
    rf"(?:{_CAPS_STREET_TYPES})\b\.?,? (?:APT|STE|SUITE) ?[A-Z]?\d[A-Z0-9-]*(?=\s*(?:[,/;\n]|$))"
)
# Chat writes streets in lower case: an abbreviated street type after "at", "to", "on" or "mine," ("meet at mine, 41
# dunmore st", "went to unit 12 / 4 kilbride pl"), a written-out one only after "at" or "mine,". The words before the
# type are no amount, time or measure ("a 10 minute drive", "at 2 pm st patricks", "at 70 mph hwy"), and
# `core.path.ner.lower_street_is_named` wants one of them to be a word English lacks ("at 7 easy st", "at 45 career
# ave").
_LOWER_STREET_ABBREVIATION = r"(?:st|rd|ave|pl|blvd|hwy)"
_LOWER_STREET_TYPE = r"(?:street|road|avenue|place|drive|lane|crescent|court|terrace|parade|grove|boulevard)"
_NOT_A_STREET_NAME = (
    r"(?:minutes?|mins?|hours?|hrs?|miles?|kms?|kilomet(?:re|er)s?|blocks?|more|other|different|new|old|big|small|"
    r"same|each|every|of|the|a|an|and|or|to|in|on|at|for|by|from|way|days?|weeks?|years?|cars?|people|times|"
    r"first|second|third|last|next|dead|one|two|three|four|five|lanes?|storey|story|star|door|decimal|wheel|gb|mb|tb|"
    r"am|pm|noon|o'clock|sharp|dec|sig|fig|mg|mph|bpm|kbps|carat|karat|percent|cents?|dollars?|pounds?|million|"
    r"billion|thousand|hundred|per|over|under|as|near|after|before)"
)
_LOWER_NUMBER = r"(?:(?:unit|flat|apt) \d{1,4}[a-z]? ?/ ?)?\d{1,5}[a-z]?(?:/\d{1,5})? "
_LOWER_NAME = rf"(?!{_NOT_A_STREET_NAME}\b)[a-z][a-z'-]+ (?:(?!{_NOT_A_STREET_NAME}\b)[a-z][a-z'-]+ )?"
_LOWER_STREET = (
    rf"(?:(?<=\bat )|(?<=\bto )|(?<=\bon )|(?<=mine, )){_LOWER_NUMBER}{_LOWER_NAME}{_LOWER_STREET_ABBREVIATION}\b"
    rf"|(?:(?<=\bat )|(?<=mine, )){_LOWER_NUMBER}{_LOWER_NAME}{_LOWER_STREET_TYPE}\b"
)
# A street in lower case of a common street type, with its unit, town, state and ZIP code: after words that say
# whose home it is ("i live at 12 oak street", "my address is 44 elm avenue, boston, ma 02118"), or, without them,
# where a town, a state and a ZIP code follow it after commas ("55 maple drive, dayton, oh 45402"). Not after
# "ship to" or "send it to" ("deliver to 1 pickup point", "send the backups to 1 external drive"), and no type that
# is also a thing counted ("1 access point", "2 bedroom flat", "18 hole course", "3 random walks").
_LOWER_COMMON_TYPE = (
    r"(?:street|st|road|rd|avenue|ave|drive|dr|lane|ln|boulevard|blvd|court|ct|place|pl|terrace|crescent|close|way|"
    r"parkway|pkwy|highway|hwy|circle|square|grove|ridge|crossing|heights|parade|mews)"
)
_LOWER_UNIT = r"(?:,? (?:apt\.?|apartment|suite|ste\.?|unit|#) ?[a-z]?\d[a-z0-9-]*)?"
_LOWER_STATE_ZIP = rf"(?:{US_STATES.lower()}) \d{{5}}(?:-\d{{4}})?\b"
_LOWER_TOWN = r"[a-z][a-z'.-]*(?: [a-z][a-z'.-]*){0,2}"
_LOWER_ANY_STREET = rf"{_LOWER_NUMBER}{_LOWER_NAME}{_LOWER_COMMON_TYPE}\b\.?{_LOWER_UNIT}"
_LOWER_TOWN_STATE_ZIP = rf", (?:{_LOWER_TOWN}, )?{_LOWER_STATE_ZIP}"
_LOWER_CUED_STREET = rf"{_LOWER_ANY_STREET}(?:{_LOWER_TOWN_STATE_ZIP})?"
_LOWER_STREET_WITH_ZIP = rf"\b{_LOWER_ANY_STREET}{_LOWER_TOWN_STATE_ZIP}"
LOWER_STREET_BODY = re.compile(
    rf"{_LOWER_NUMBER}(?P<name>{_LOWER_NAME})(?:{_LOWER_STREET_ABBREVIATION}|{_LOWER_STREET_TYPE})\b"
)  # a lower-case street without its cue: `core.path.ner.lower_street_is_named` checks its name


IRISH_COUNTIES = (
    "Antrim|Armagh|Carlow|Cavan|Clare|Cork|Derry|Donegal|Down|Dublin|Fermanagh|Galway|Kerry|Kildare|Kilkenny|Laois|"
    "Leitrim|Limerick|Longford|Louth|Mayo|Meath|Monaghan|Offaly|Roscommon|Sligo|Tipperary|Tyrone|Waterford|Westmeath|"
    "Wexford|Wicklow"
)  # Ireland's counties
# UK postcodes in lower case, as chat writes them ("leeds ls6 2qt", "Ls6 2qt"): only of a postal area that exists,
# with the letters a postcode may hold (no "c", "i", "k", "m", "o" or "v" at its end: "a4 3pm", "m4 3am" are none), no
# ordinal ("e3 2nd") and no unit ("m1 8gb", "m25 2hr", "m8 3ft", "m18 5ah", "sr5 4wd", "b12 5ug"); an Irish Eircode in
# lower case only after its county ("cobh, co. cork p24 x2k7"), never a chassis and engine ("e46 330d").
_UK_POSTAL_AREAS = (
    "ab|al|b|ba|bb|bd|bh|bl|bn|br|bs|bt|ca|cb|cf|ch|cm|co|cr|ct|cv|cw|da|dd|de|dg|dh|dl|dn|dt|dy|e|ec|eh|en|ex|fk|fy|"
    "g|gl|gu|gy|ha|hd|hg|hp|hr|hs|hu|hx|ig|im|ip|iv|je|ka|kt|kw|ky|l|la|ld|le|ll|ln|ls|lu|m|me|mk|ml|n|ne|ng|nn|np|"
    "nr|nw|ol|ox|pa|pe|ph|pl|po|pr|rg|rh|rm|s|sa|se|sg|sk|sl|sm|sn|so|sp|sr|ss|st|sw|sy|ta|td|tf|tn|tq|tr|ts|tw|ub|"
    "w|wa|wc|wd|wf|wn|wr|ws|wv|yo|ze"
)
_UNIT_LETTERS = r"(?:st|nd|rd|th|gb|tb|hr|ft|ah|wd|ug|lb|yd|hp|db|wh|hz)"
_LOWER_UK_POSTCODE = (
    rf"\b(?i:(?:{_UK_POSTAL_AREAS})\d[a-hjkmnps-y\d]? (?!\d{_UNIT_LETTERS}\b)\d[abd-hjlnp-uw-z]{{2}})\b(?![\w-])"
)
# ... and a UK street in lower case with its town and postcode after it ("27 wellington road, stockport, sk4 1ld")
_LOWER_STREET_WITH_UK_POSTCODE = rf"\b{_LOWER_ANY_STREET}(?:, {_LOWER_TOWN})?,? {_LOWER_UK_POSTCODE}"
_LOWER_EIRCODE = (
    rf"\bco\. (?:{IRISH_COUNTIES.lower()}),? "
    r"(?P<value_eircode>[ac-fhknprtv-y]\d{2} (?=[a-z0-9]*[a-z])(?=[a-z0-9]*\d)[ac-fhknprtv-y0-9]{4})\b(?![\w-])"
)


# Records numbered by an "ID" that is no Idaho: "Patient ID 55821", "Customer ID 40312" (not "Boise ID 83702").
_ID_OWNER = (
    r"Patient|Customer|User|Order|Account|Employee|Member|Student|Session|Transaction|Client|Device|Product|Case|"
    r"Ticket|Staff|Reference|Booking|Claim|Policy|Tax|Vendor|Supplier|Job|Request|Record|Batch|Invoice|Group|"
    r"Partner|Merchant|Application|Applicant|Passenger|Guest|Visitor|Player|Login|Badge|Unit|Item|Shipment"
)
_US_UK_ADDRESS = (
    rf"{_STREET}(?:{_SEP}{_PLACE}(?:{_SEP}[A-Z]{{2,3}})?{_SEP}{_POSTCODE})?"
    rf"|{_CAPS_STREET}|{_CAPS_STREET_LINE}"
    rf"|{_LOWER_STREET_WITH_ZIP}|{_LOWER_STREET_WITH_UK_POSTCODE}"
    rf"|{_LOWER_STREET}"
    rf"|\b(?:PSC|Unit) \d{{3,5}},? Box \d{{3,5}}{_SEP}[ADF]PO A[AEP] \d{{5}}\b"
    rf"|\b(?:USNS|USNV|USS|USCGC) [{CAPITALS}][\w'’-]+{_SEP}FPO A[AEP] \d{{5}}\b"
    # city, state and postcode without a street
    rf"|\b(?!(?:[A-Z][\w.'-]* ){{0,3}}(?:{_ID_OWNER}) ID\b){_PLACE}{_SEP}{_STATE_AND_POSTCODE}"
    rf"|\b{_PLACE}{_SEP}{UK_CA_POSTCODE}\b"
)
# Greek capitals too, for Greek and Cypriot addresses ("Πεντέλης 207, ΜΕΛΑΜΙΟΥ"), where a Greek word starts (not a
# symbol alone: "at Ω 5").
_CAP = rf"(?:[{CAPITALS}]|[\u0386\u0388-\u038f\u0391-\u03a9](?=[\u0370-\u03ff]))"
_WORD = rf"{_CAP}[\w'’.-]*"
# A house number: "12B", "84/92", an Austrian stair and door ("88/2/14"), a Dutch floor ("214-III", "12-hs"); never
# "5,712", "7.3" or a date with its year ("shipped to Berlin 12/03/2024", "Watergate 6/17/1972"; an Austrian door's
# "14/2/17" stays)
_HOUSE_NUMBER = (
    r"(?!(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|[12]\d|3[01])/\d{4}\b)"
    r"\d{1,5}[A-Za-z]?(?:[/-]\d{1,5}[A-Za-z]?){0,2}(?:-(?:I{1,3}|IV|hs|bg|huis)|[ -](?:bis|ter)\b)?(?![.,]\d)"
)
# Street words of German, Scandinavian, Icelandic, Finnish, Estonian, Dutch, Czech/Slovak, Slovenian/Croatian, Hungarian
# and Turkish addresses, as the end of the street's name ("Hauptstraße", "Hafnarstræti") or as a word of their own
# ("Grünwalder Weg", "Atatürk Bulvarı", "Prešernova cesta", "Pikk tn").
STREET_SUFFIX = (
    r"(?i:straße|strasse|str\.|gasse|weg|allee|platz|damm|ufer|chaussee|steig|gatan|vägen|gränd|stigen|torget|"
    r"gata|gate|veien|vegen|vej|gade|tie|katu|kuja|polku|straat|gracht|laan|plein|singel|kade|dijk|markt|steeg|"
    r"backen|allén|leden|slingan|stræde|plads|torv|gaten|stien|pfad|stieg|ranta|väylä|"
    r"ská|cká|ova|ová|ní|utca|útja|tér|caddesi|cadde|sokak|sokağı|bulvarı|yolu|piren|"
    r"stræti|vegur|braut|stígur|tänav|maantee|puiestee)"
)
# Street words only ever written as a word of their own, in lower case: "Váci út", "Pikk tn" (not "Fire Stn 12", "Ctn
# 12", "Vasút" a railway); Slovenian "cesta" only after a street's adjective ("Prešernova cesta"; not "La cesta 3").
# Turkish "Cad." (caddesi) and "Sk." (sokak) only with their dot and "No" ("Atatürk Cad. No:45"; not "Price Cad. 15").
_STREET_WORD = r"(?:ulica|út|körút|tn|iela|gatve|gatvė|(?:Cad|Sk|Sok)(?=\. No\b))"
# Spanish "C/" (calle) where an address line starts: after a comma, a colon, "en" or "a", or at a line's start (not
# "USB C/ Lightning 2", "21 C/ Feels 19").
_C_SLASH = r"(?:(?<=[,:] )|(?<=\ben )|(?<=\ba )|(?<![^\n]))C/"
# Street words that come first: Italian, French, Spanish, Portuguese, Polish, Romanian, German ("Am Markt").
STREET_PREFIX = (
    rf"(?:Via|Viale|Vicolo|Piazza|Piazzale|Corso|Largo|Rue|Avenue|Av\.|Avda\.?|Avenida|Boulevard|Calle|{_C_SLASH}|"
    r"Carrer|Camino|Paseo|Plaza|Rua|Praça|Travessa|Estrada|Rambla|Ronda|Chemin|Allée|Impasse|Quai|Bulevardul|Calea|"
    r"Am|An [Dd]er|Auf [Dd]er|Im|In [Dd]er|Zum|Zur|AM|IM|Avinguda|Passeig|Odos|Odós|Leoforos|Triq|Rruga|"
    r"(?i:ul\.|ulica|al\.|aleja|str\.|strada))"
)
_PARTICLE = r"(?:de|dei|del|della|delle|di|da|do|dos|das|la|le|les|du|des|den|der|van|von|y|e)"
_NAME_WORDS = rf"(?:{_PARTICLE} )*{_WORD}(?: (?:{_WORD}|{_PARTICLE}))*?"
# What may follow a house number: a unit ("Apt. 392", "int. 3", "m. 17", "No: 145 D: 6"), a floor ("3º B"), a
# Finnish staircase ("A 12").
_UNIT = (
    r"(?:,? (?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|#|int\.|m\.|No:?|D:|lgh\.?|app\.?|bus|Stg\.?|Top) ?[\w-]+"
    r"|, \d{1,2}\.?[º°ª](?: ?(?:(?i:esq|dto|izq|dcha)\.?|[A-Z]\b))?"
    r"|, \d{1,2}(?:r|n|t|è|º|ª) \d{1,2}(?:a|ª)\b|, RT \d{1,3}/RW \d{1,3}\b"
    r"|, (?:\d{1,2}(?:st|nd|rd|th) floor|(?i:floor|fl\.) \d{1,2}|\d{1,2} (?:tr|trappor|vån\.?))\b"
    r"| [A-Z] \d{1,3}\b"
    rf"|{_LINE_UNIT}"
    # a Danish floor and side ("3. tv.", "st. th.", "2. sal"); a Dutch house letter before a comma ("88 A, 3512 PJ")
    r"|, (?:st\.|\d{1,2}\.)(?: ?(?:tv|th|mf)\.?| sal\b)| [A-Z](?=,))"
)
_INTL_POSTCODE = (
    r"(?:\d{6}|\d{5}(?:-\d{4})?|\d{3} \d{2}|\d{2}-\d{3}|\d{4}-\d{3}|\d{4} ?[A-Z]{2}|[A-Z]{1,2}-\d{4,5}"
    r"|[A-Z]{1,2}-\d{3} \d{2}|\d{3}-\d{4}"
    rf"|\d{{4}}|{UK_CA_POSTCODE})"
)
_INDIAN_STREET = (
    r"(?:Sector|Cross|Main|Main Road|Nagar|Colony|Layout|Marg|Enclave|Vihar|Block|Phase|Road|Rd\.?|Street|Lane|"
    r"Residency|Apartments|Society|Chowk|Bagh|Puram|Halli|Extension|Stage|Way)"
)
_INDIAN_HOUSE = r"(?:Plot|H\. ?No\.|House No\.?|Door No\.?|Flat No\.?|Shop No\.?|No\.)"
_INDIAN_STREET_AFTER = rf",? (?:\d{{1,2}}(?:st|nd|rd|th) )?(?:{_WORD} ){{0,2}}{_INDIAN_STREET}"
# Where an Indian address starts ("Plot 27, 4th Cross"): a cue's plain street ("Address: No. 12, Anna Salai") yields.
_INDIAN_HEAD = rf"{_INDIAN_HOUSE} ?[\w/-]*\d[\w/-]*{_INDIAN_STREET_AFTER}\b"
# A town is no postcode ("SCARBOROUGH\nYO11 2EG": "YO11" is no town before "2EG") and no form's label in capitals
# ("DARWIN NT 0801\nDATE OF ISSUE 22 AUG 2024").
# The words that close or open a message, in the line after an address ("London NW1 6XE\nThanks\nJane", "75007
# Paris\nMerci"): no town.
_CLOSING = (
    rf"(?i:{SIGN_OFFS})|Thx|Kind|Many|Warm|Yours|Love|Please|Hi|Hello|Dear|Merci|Danke|Gracias|Grazie|Obrigad[oa]|"
    r"Bedankt|Dank|Dzięki|Dziękuję|Tack|Kiitos|Teşekkürler|Terima"
)
_ANY_TOWN_WORD = (
    rf"(?:(?:Co|St|Mt|Ft)\. )?(?!{_HEADLINE_WORD}|{UK_CA_POSTCODE}\b|(?:DATE|DOB|REF|NAME)\b"
    r"|(?i:tel|tél|phone|mobile|mob|fax|e-?mail|web)\b|(?:Apt|Apartment|Suite|Ste|Unit|Flat)\b)"
    rf"{_CAP}[\w'’-]*"
)
_TOWN_WORD = rf"(?!(?:{_CLOSING})\b){_ANY_TOWN_WORD}"
# A town's name may join its words with a little word ("Zell am See", "Kirchheim unter Teck", "Rio de Janeiro", "Videm
# pri Ptuju", "Ústí nad Labem", "Newcastle upon Tyne") and be followed by its province in brackets ("Scandicci (FI)",
# "Andorra (Teruel)") or after a slash ("Karşıyaka/İzmir").
_TOWN_JOIN = (
    r"(?:[ -]|/(?=\w)| (?:am|an der|unter|sur|de|del|de la|di|da|do|dos|das|im|bei|ob|aan den|aan de|op|sous|pri|u|"
    r"nad|pod|na|upon) )"
)
_PROVINCE = rf"(?: \({_CAP}[\w'’ .-]{{0,20}}\))?"
_TOWN = rf"{_TOWN_WORD}(?:{_TOWN_JOIN}(?:{_TOWN_WORD}|\d{{1,2}}))?(?: {_TOWN_WORD})?{_PROVINCE}"
# Just after its postcode, a town may be named as a closing word is ("5683 AB Best").
_TOWN_AFTER_POSTCODE = rf"{_ANY_TOWN_WORD}(?:{_TOWN_JOIN}(?:{_TOWN_WORD}|\d{{1,2}}))?(?: {_TOWN_WORD})?{_PROVINCE}"
# The UK's postal areas in capitals (the letters a postcode starts with: "BT" of "BT9 5HL").
UK_POSTCODE_AREAS = frozenset(area.upper() for area in _UK_POSTAL_AREAS.split("|"))
# A UK postcode's first half alone, after its town ("86 Grange Road, Sheffield S11"), as people write their district:
# of a postcode area (not an A-road, "Birmingham A38", nor a paper size, "Leeds A4"), and no Eircode's first half.
_EIRCODE = r"[A-Z]\d[\dW] [A-Z\d]{4}\b"
_UK_OUTWARD_CODE = (
    rf"(?!{_EIRCODE})(?:(?<=Manchester )|(?<=Salford )|(?!M\d))"  # a motorway after any other town: "Leeds M1"
    rf"(?:{'|'.join(sorted(UK_POSTCODE_AREAS, key=lambda area: -len(area)))})\d[A-Z\d]?(?![\w-])"
)
# A town ends a line or clause: "…, 79104 Freiburg." but not "…, Anna said", nor a form's next field label
# ("…, 8001 Zürich\nInsurer: Helsana").
_TOWN_END = (
    rf"(?=\s*(?:[,.;!?)—–-]|\n|$)| \d| [A-Z]{{2,3}}\b| [A-Z]{{1,2}}-\d| {_UK_OUTWARD_CODE}| {_EIRCODE})(?![ \t]*[:：])"
)
# A country or town with its postcode may stand after a blank line, as the last line of a block after its town's line
# ("Apt. 954\n Brezje\n\n Slovenia 79003"; not a unit's "Suite 5\n\nExport 12345"); a label's number is none
# ("\n\nOrder 55123"), nor a year.
_LAST_LINE_AFTER_BLANK = (
    rf"[ \t]*\n[ \t]*\n{LINE_MARK}(?!(?i:order|invoice|ref|room|page|item|case|ticket|account|customer|member)\b)"
    rf"(?:{_TOWN}),? (?!(?:19|20)\d\d\b)(?:{_INTL_POSTCODE})\b(?=[ \t]*(?:\n|$))"
)
# The lines after a street: postcode and town in either order, a state, a country (up to four). A town after its
# postcode needs no end of clause ("1060 Wien done today"): the postcode says what it is.
_TAIL = (
    rf"(?:(?:,? |{_BREAK}| - )(?:(?:{_INTL_POSTCODE}) (?:{_TOWN_AFTER_POSTCODE})(?![\w'’-])(?![ \t]*[:：])"
    rf"|(?:{_TOWN}){_TOWN_END}(?: (?:{_INTL_POSTCODE}|{_UK_OUTWARD_CODE}))?(?:{_LAST_LINE_AFTER_BLANK})?"
    rf"|(?:{_INTL_POSTCODE})\b"
    rf"|(?<=\n)\d{{3}} (?:{_TOWN})(?![\w'’-])(?![ \t]*[:：]))){{0,4}}"
)
_CUE = (
    r"(?i:address(?: is|:)?|address with(?= \d)|addresses|live[sd]? (?:at|on)|living at|moved to|resides? at|"
    r"residing at|home is|home:|ship(?:ping)?(?: it)? to:?|shipping:|deliver(?:ed|y)? to:?|"
    r"send (?:it |them |the \w+ )?to|sent to(?= \d)|"
    r"post (?:it |the \w+ )?to|pick ?up (?:from|at)|pickup:|sender:|located at|is at|flat is at|"
    r"return address:|billing address:|mailing address:|"
    # the field label "address:" in other languages ("Adres: Meir 50, 2000 Antwerpen")
    r"adres:|adresse:|anschrift:|wohnadresse:|dirección:|direccion:|domicilio:|endereço:|morada:|indirizzo:|"
    r"osoite:|adress:|adresa:|lakcím:|cím:|címem:|adressi:|na adrese)"
)
# The cues before a street in lower case: only the writer's own home ("moved to 2 bedroom place", "the band is live at
# 12 bar street", a shop's "our address is", a venue's "address:" and fiction's "he lives at 221b baker street" are no
# home of the writer's).
_LOWER_CUE = r"(?i:my (?:home )?address(?: is|:)|my home is at|i live at|we live at|i(?:'m| am) living at)"
# Names with a number that are no street: "at Gate 9", "in Windows 10", "is at Building 5".
_NOT_A_STREET = (
    r"(?!(?i:room|gate|platform|terminal|chapter|version|windows|level|floor|page|section|table|seat|row|step|day|"
    r"week|year|season|episode|part|volume|bay|stand|hall|box|aisle|lane|track|suite|apt|unit|iphone|android|ios|"
    r"office|studio|phase|block|building|zone|area|ward|class|grade|group|team|round|stage)\b)"
)
# A postcode later on a unit's line or on one of the three lines under it: where a unit alone heads its town and
# country ("Apt. 748\n Fortaleza\n Brazil 61603", "Suite 134, Ólafsfjörður, Iceland 61484"; not a programme's "Suite
# 12\nOpening Remarks\nCoffee Break", "Suite 400, Microsoft said in 2024").
_POSTCODE_BELOW = (
    rf"(?=(?:[^\n]{{0,60}}|[ \t]*\n(?:[^\n]*\n){{0,2}}[^\n]*)"
    rf"(?<![\w-])(?!(?:19|20)\d\d\b)(?:\d{{4,6}}|\d{{3}} \d{{2}}|{UK_CA_POSTCODE})(?![\w-]))"
)
# A house number before a street that carries its own ("7532 Algade 60", as a building and its street are written
# together), never a year.
_LEADING_NUMBER = r"(?!(?:19|20)\d\d\b)\d{1,6} "
# A bare "at"/"in", or "I live in" of another language ("Živim u Gundulićeva 6", "bor på Solrosvägen 17"): what
# follows must look more like an address than after a _CUE ("Wohne in Berlin seit 5 Jahren" is none).
_WEAK_CUE = (
    r"\b(?:at|in|(?i:živim u|živim na|bydlím na|bydlím v|bývam na|bor på|bor i|wohne in|woon op|woon aan|vivo en|"
    r"vivo na|abito in|abito a|mieszkam na|mieszkam przy|asun))"
)
# What may follow a room or flat that locates someone: the clause's end or a word of time or manners.
_CLAUSE_ENDS = r"(?=[ \t]*(?:[,.;!?)\n]|$| (?:until|till|tonight|now|and|if|so|please|pls|thanks|btw)\b))"
_INTERNATIONAL = (
    # a street word ending the name, or after it, then the number: "Hauptstraße 5", "Grünwalder Weg 3"; Hungarian
    # puts the postcode and town first: "6720 Szeged, Kárász utca 11"
    # (after them only, with a letter of Hungarian's, "u." for "utca": "6720 Szeged, Kárász u. 9"; elsewhere it may be
    # German "und": "Vgl. 1234 Palandt, Grüneberg u. 5")
    rf"\b(?!(?:19|20)\d\d\b)\d{{4}} (?=[^\n]{{0,40}}[áéíóőúűÁÉÍÓŐÚŰ]){_TOWN}, (?:{_WORD} ){{1,3}}u\. "
    rf"{_HOUSE_NUMBER}\b(?=\.?(?:[,;\n]|$))"
    rf"{_UNIT}*{_TAIL}|"
    rf"(?:\b(?!(?:19|20)\d\d\b)\d{{4}} {_TOWN}, )?"
    # (a street's name starts after a space or a mark, never inside a hyphened word: "A-A-A-…" made each letter a start)
    rf"(?<![\w'’-])(?:(?:{_WORD} ){{0,3}}{_CAP}[\w'’-]*{STREET_SUFFIX}"
    rf"|(?:{_WORD} ){{1,3}}(?:{STREET_SUFFIX}|{_STREET_WORD})"
    rf"|(?:{_WORD} ){{0,2}}{_CAP}[\w'’-]*(?:ova|eva|ska|ška) cesta)"
    r"\.? (?:No[:.]? ?)?"
    # a year is no house number ("Körút 2024: a program"); "Hátfalvai utca 8., H-2916 …": Hungarian's ordinal dot
    rf"(?!(?:19|20)\d\d\b){_HOUSE_NUMBER}\b(?:\.(?=,))?{_UNIT}*{_TAIL}"
    # a street word first: "Via Garibaldi 14", "Calle de Alcalá 123, 3º B", "ul. Marszałkowska 84/92 m. 17"
    rf"|\b{STREET_PREFIX} {_NAME_WORDS},? (?:No[:.]? )?{_HOUSE_NUMBER}\b{_UNIT}*{_TAIL}"
    # Catalan in lower case and Indonesian, where the number ends the clause or "No." says what it is ("carrer de
    # la Riera 45, 2n 1a", "Jl. Melati No. 17"; not "al carrer Gran 2 vegades", "Jalan Raya 10 menit")
    rf"|\b(?:carrer|avinguda|passeig|Jl\.|Jln\.|Jalan) {_NAME_WORDS},? "
    rf"(?:No\.? ?{_HOUSE_NUMBER}\b|{_HOUSE_NUMBER}(?=[,.;\n]|$)){_UNIT}*{_TAIL}"
    # the number first, French style: "14 avenue Jean Jaurès", "33 Rue Principale"
    rf"|\b\d{{1,4}}(?: ?(?:bis|ter))?,? (?i:rue|avenue|boulevard|bd|place|allée|chemin|impasse|quai|route) "
    rf"(?:{_PARTICLE} )*{_NAME_WORDS}{_TAIL}"
    # Indian: a house, plot or door number, then a named road, cross, sector or colony: "Plot 14, Sector 21",
    # "No. 7, 3rd Cross, Jayanagar", "D-45, Lajpat Nagar II", "H.No. 4-5-67, Gandhi Nagar"
    rf"|\b(?:{_INDIAN_HOUSE} ?[\w/-]*\d[\w/-]*"
    rf"|[A-Z]-\d{{1,4}}[A-Z]?){_INDIAN_STREET_AFTER}"
    rf"(?: (?:\d{{1,3}}|[IVX]{{1,4}}|[A-Z]))?\b(?=,|\n|$| -){_TAIL}"
    # Japanese: a postcode mark and the address in kanji ending in its block numbers
    # ("〒150-0041 東京都渋谷区神南1-2-3"), or a romanised ward, district and block ("Kita-ku Umeda 3-1-1")
    r"|(?:〒\s?\d{3}-\d{4}\s?)?[\u4e00-\u9fff\u3040-\u30ff]{2,}\d{1,4}(?:[-−ー－]\d{1,4}){1,3}"
    r"|\b[A-Z][a-z]+-(?:ku|shi|cho|machi|gun) [A-Z][a-z]+(?: \d{1,2}-chome)? \d{1,4}(?:-\d{1,4}){1,3}\b"
    # Colombian: a numbered street and the crossing street's number ("Calle 50 #12-34", "Carrera 7 No. 45-10")
    r"|\b(?:Calle|Carrera|Cra\.|Cl\.|Avenida|Transversal|Diagonal) \d{1,3}[A-Z]? ?(?:#|No\.?) ?\d{1,3}[A-Z]?-\d{1,3}\b"
    # a house and a numbered road, as Dhaka and Abuja write them: "House 27, Road 11, Block C, Banani, Dhaka 1213"
    rf"|\bHouse (?:No\.? ?)?\d{{1,4}}[A-Z]?, Road (?:No\.? ?)?\d{{1,4}}[A-Z]?(?:, Block [A-Z]\b)?{_TAIL}"
    # PO boxes: "PO Box 4471", "P.O. Box 120", "PO BOX 3310", Ghana's "P.O. Box KA 9311" (not a purchase order's "PO
    # BOX 3 OF 12"); a Canadian rural route before its town and province: "RR 2, Antigonish NS"
    rf"|\b(?:P\.? ?O\.? ?|Post Office |POST OFFICE )(?:Box|BOX) (?:[A-Z]{{1,3}} )?\d{{1,6}}(?!\d| (?i:of) \d){_TAIL}"
    rf"|\b(?:RR|R\.R\.|Rural Route) ?#?\d{{1,3}}(?=, [{CAPITALS}][\w'’.-]+(?: [{CAPITALS}][\w'’.-]+)?,? "
    rf"(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\b){_TAIL}"
    rf"|\bBox \d{{1,6}}(?={_SEP}{_PLACE}{_SEP}{_STATE_AND_POSTCODE}){_TAIL}"  # "new Box 88, Intercourse, PA 17534"
    # a street of any language's form over its apartment's or suite's line or before it on its line, which says what
    # it is ("335 Spordi 89\n Suite 285", "0750 Tylova 42\n Apt. 184", "475 Nieuwkerk 67 Suite 084"): a building's
    # number, a name and a number (a year's digits too: "864 Sokolská 1978\n Suite 902", "7331 Veres Pálné u.
    # 56.\n Apt. 457"), where a line starts or after "at", "to", "is" or a colon, and its town and country (not a
    # curriculum's "Lesson 4\nUnit 5", a suite's "Peer Gynt 1\nSuite 2", a Bible's "2 Samuel 7\nUnit 3": no building's
    # number, or a unit that is no home's)
    rf"|(?:(?<![^\n])|(?m:(?<=^[^\w\n])|(?<=^[^\w\n]{{2}})|(?<=^[^\w\n]{{3}})|(?<=^[^\w\n]{{4}}))"
    rf"|(?<=\bat )|(?<=\bto )|(?<=\bis )|(?<=: ))\d{{1,6}} {_NOT_A_STREET}"
    rf"(?!{_HEADLINE_WORD}){_CAP}[\w'’.-]*(?: [\w'’.-]+){{0,3}}? {_HOUSE_NUMBER}\.?"
    rf"(?:{_BREAK}|,? )(?:Apt\.?|Apartment|Suite) #?\d{{1,5}}[A-Z]?(?=[ \t]*(?:[,\n]|$)| [{CAPITALS}]){_TAIL}"
    # a unit alone: "Apt. 342", "Suite 400"; with its town and country after it where a postcode follows
    rf"|\b(?:Apt\.?|Apartment|Suite) #?\d{{1,5}}[A-Z]?\b(?:{_POSTCODE_BELOW}{_TAIL})?"
    # a name and a number where the text says an address follows: "I live at Dašická 688, Pardubice"
    # (its building's number may come first as well, never a time of 24 hours: "his address: 01543 Letališka 75"; not
    # "The meeting is at 1400 Conference Room 3"; a phone's digits are no word of it: "sent to JOSEPH MUTUA 0711904552
    # on 4/6/24")
    rf"|\b{_CUE} {_NOT_A_STREET}(?!{_INDIAN_HEAD})"
    rf"(?P<value_street>(?:(?!(?:[01]\d|2[0-3])[0-5]\d\b){_LEADING_NUMBER}{_NOT_A_STREET})?(?!(?i:{_HEADLINE_WORD}|the\b))"
    rf"{_CAP}[\w'’.-]*(?: (?!\d{{6}})[\w'’.-]+){{0,3}}? "
    rf"(?!(?:19|20)\d\d\b){_HOUSE_NUMBER}\b(?:\.(?=,))?{_UNIT}*{_TAIL})"
    rf"|\b{_LOWER_CUE} (?P<value_lower_street>{_LOWER_CUED_STREET})"
    rf"|{_CAPS_LABEL}[ \t]*(?P<value_caps_street>{_CAPS_LISTED_STREET}{_TAIL})"
    # after a bare "at"/"in", only a number that is no year and ends the clause: "I live in Dašická 688, Pardubice"
    # (a building's number before it where an apartment or a suite follows: "I now live in 04665 Lahof 26 Apt. 472")
    rf"|{_WEAK_CUE} {_NOT_A_STREET}(?!{_INDIAN_HEAD})"
    rf"(?P<value_weak>(?:{_LEADING_NUMBER}(?=[^\n]{{0,40}} (?:Apt|Apartment|Suite)\b){_NOT_A_STREET})?"
    rf"(?!{_HEADLINE_WORD})"
    rf"{_CAP}[\w'’.-]*(?: [\w'’.-]+){{0,2}}? (?!(?:19|20)\d\d\b){_HOUSE_NUMBER}"
    rf"(?=[,.;\n]|$| (?:Apt|Apartment|Suite|Unit|Flat|#)){_UNIT}*{_TAIL})"
    # a hotel room or flat that locates the writer, ending the clause: "I'm in Room 517", "this is Kenji Watanabe in
    # Room 1204.", "moved into flat 9," (not "We're in Room 101 for the workshop", "Room 404 not found", "a flat 20%
    # fee", "Pay at Flat 15 rate")
    rf"|\b(?:(?i:i'm|i am|im|staying)|[Tt]his is(?: [A-Z][\w.'-]*){{1,3}}) in "
    rf"(?P<value_room>(?i:room) \d{{3,4}}[A-Z]?)\b{_CLAUSE_ENDS}"
    rf"|\b(?i:moved into|move into|moving into|live in|living in|lives in|i'm in|im in|i am in) "
    rf"(?P<value_flat>(?i:flat) \d{{1,4}}[A-Za-z]?)\b{_CLAUSE_ENDS}"
    rf"|\b(?i:at|from) (?P<value_flat_named>Flat \d{{1,3}}[A-Za-z]?)\b{_CLAUSE_ENDS}"  # "the gentleman from Flat 2,"
    # postcodes whose shape says what they are: UK "CA17 4QT", Canadian "B3H 1A1", Irish "A98 X2Y3"
    r"|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b|\b[A-Z]\d[A-Z] \d[A-Z]\d\b"
    r"|\b[AC-FHKNPRTV-Y]\d{2} (?=[A-Z0-9]*[A-Z])(?=[A-Z0-9]*\d)[AC-FHKNPRTV-Y0-9]{4}\b"
    rf"|{_LOWER_UK_POSTCODE}|{_LOWER_EIRCODE}"
    # a postcode a word names: "zip 94105", "my postal code is B3H 1A1"
    rf"|\b(?i:zip(?: ?code)?|post ?code|postal code|plz(?:/ort)?|pin code|kod pocztowy|c[óo]digo postal|code postal|"
    rf"postnummer)(?: is|:|#| no\.?)? ?"
    rf"(?![0 -]+\b)(?P<value_zip>{_INTL_POSTCODE})\b"  # not a form's "00-000"
    # an Indian PIN has six digits: "PIN 411038" (a bank card's "PIN 4321" is no postcode)
    r"|\bPIN(?: is|:|#| no\.?)? ?(?P<value_pin>\d{6}|\d{3} \d{3})\b"
)
ADDRESS = re.compile(f"(?:{_US_UK_ADDRESS}){_TAIL}|{_INTERNATIONAL}")


_INDENTED_BREAK = re.compile(r",?[ \t]*\n[ \t]+")
# The next two indented lines after an address's span, and a postcode on them ("…\n   ASHTON-UNDER-LYNE\n    n/a\n
# OL7 7BZ").
_INDENTED_LINES_BELOW = re.compile(r"(?:[ \t]*\n[ \t]+[^\n]*){1,2}")
_A_POSTCODE = re.compile(rf"(?<![\w-])(?!(?:19|20)\d\d\b)(?:\d{{4,6}}|{UK_CA_POSTCODE})(?![\w-])")
# A number on an address's line that is no year: a house, a unit, a postcode ("Apt. 9", "LS6 2AB", "53003").
_NUMBER_NO_YEAR = re.compile(r"(?<![\w-])(?!(?:19|20)\d\d\b)[\w/-]*\d[\w/-]*")


_NUMBER_BEFORE = re.compile(rf"(?<!\S){_LEADING_NUMBER}\Z")
# What may stand before that number on its line: nothing but a block's marks ("> ", "- "), a word that says a place
# follows ("drops you off at 483 40 rue des Lacs") or a comma ("at Travelzoo, 1130 Via Varrone 35"; not "Invoice 22
# Via Roma 5", "paid 300 Via Roma").
_BEFORE_THE_NUMBER = re.compile(r"[^\w\n]*\Z|.*(?:\b(?i:at|to|in|is)|[:,])[ \t]*\Z")


def as_its_block(text: str, start: int, end: int) -> tuple[int, int]:
    """An address's span with a building's number just before it where its line starts or a place's word stands
    (`_LEADING_NUMBER`: "7532 Algade 60", "\n8765 94 boulevard Amiral Courbet"), cut as `indented_as_its_block` cuts
    it."""
    before = _NUMBER_BEFORE.search(text, max(0, start - 12), start)
    if before is not None:
        line_start = text.rfind("\n", 0, before.start()) + 1
        if _BEFORE_THE_NUMBER.match(text, max(line_start, before.start() - 80), before.start()):
            start = before.start()
    return indented_as_its_block(text, start, end)


def indented_as_its_block(text: str, start: int, end: int) -> tuple[int, int]:
    """An address's span up to its first indented line, unless a line indented under it holds a number that is no
    year, or one of the two indented lines after it a postcode: an address's lines under its street hold a unit, a
    house or a postcode ("… at 4 Elm Rd\n Apt. 9\n Leeds", "12 Elm Road\n  Leeds\n  LS6 2AB"); lines indented with
    none are a list's or code's ("Works in Python 3\n    Django\n    Flask", "Released on 3 Abbey Road\n    1969")."""
    cut = _INDENTED_BREAK.search(text, start, end)
    if cut is None or _NUMBER_NO_YEAR.search(text, cut.end(), end):
        return start, end
    below = _INDENTED_LINES_BELOW.match(text, end)  # a postcode's line may follow a line no pattern reads
    if below is not None and _A_POSTCODE.search(text, below.start(), below.end()):
        return start, end
    return start, cut.start()
