"""Personal data in the forms people write it (issue 27): ages, dates, addresses of many countries, names the NER
misses; and the ordinary words and numbers around them left alone."""

import pytest

from core.path import PII_GROUPS, GroupSet
from core.path.ner import _recased

GROUPS = GroupSet()


def spans(text: str, group: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, [group])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She is 42 years old, a 42-year-old teacher.", ["42 years old", "42-year-old"]),
        ("my son is 2 y/o and still wakes up at night", ["2 y/o"]),
        ("my bf is 27 and I'm not sure", ["27"]),
        ("Sahibi: Elif Şahin, 35, mimar", ["35"]),
        ("Patient, 67 y/o male; our 18-month-old son", ["67 y/o", "18-month-old"]),
        ("aged 42; kids aged 6 and 9", ["aged 42", "aged 6 and 9"]),
        ("age: 42\nAge 58. At the age of 76 he retired.", ["42", "58", "76"]),
        ("I'm 29, Nigerian. I turned 30 yesterday.", ["29", "30"]),
        ("my grandfather is ninety two years old", ["ninety two years old"]),
        ("My daughter (16) and Anneliese Hoffmann (68) came; Aiyana, 14, stayed.", ["16", "68", "14"]),
        ("She is in her 50s and we are in our thirties.", ["in her 50s", "in our thirties"]),
        ("We are both in our forties.", ["in our forties"]),  # no digit: the prefilter must still let it through
        ("My husband (52) and I (48) are retiring; my kids, 8 and 11, stay", ["52", "48", "8 and 11"]),
        ("I'm 45 and my husband is 47 — sorry", ["45", "47"]),
        ("Merhaba, ben Elif Kaya, 28 yaşındayım.", ["28 yaşındayım"]),
        ("je mi 45 let a bydlím; mám 47 rokov a bývam", ["45 let", "47 rokov"]),
        (
            "man 33 metai; Μαρία, 45 ετών; synek ma 2 latka; i 40-årsåldern; Nenrei: 40-sai",
            ["33 metai", "45 ετών", "2 latka", "40-årsåldern", "40-sai"],
        ),
        ("pracuji tu 10 let, mám 3 roky záruky; we waited 10 years; my kids, 2 and 3 years ago", []),
        ("My son turns one on Friday.", ["one"]),
        ("my dad's 84 and my nan is ninety next week; My twins are three.", ["84", "ninety", "three"]),
        ("MY SON TOMÁS IS 15 AND HIS CARD WAS BLOCKED; my kids are 5 and 7", ["15", "5 and 7"]),
        ("Traveller: Marta Nowak, F, 52. Rui Costa (M, 38) and Abena Owusu, 58 F, came", ["52", "38", "58"]),
        ("27M here; 41F and her daughter", ["27M", "41F"]),
        (
            "Edad: 19\nAlter des Kindes: 9\nâge du patient : 6; Tiene 34 años; Er ist 45 Jahre alt.",
            ["19", "9", "6", "34 años", "45 Jahre alt"],
        ),
        (
            "The caller is 81 and Ingeborg is 88. SHE IS 34 YEARS OLD; I was eighteen.",
            ["81", "88", "34 YEARS OLD", "eighteen"],
        ),
        ("Her baby is 6 months old; my nephew (seven)", ["6 months old", "seven"]),
    ],
)
def test_ages(text: str, expected: list[str]) -> None:
    assert spans(text, "age") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # fields and units of many languages, the unit withheld with the number
        ("Alter: 67 Jahre\nÂge : 39 ans\nPaciente de 72 años", ["67 Jahre", "39 ans", "72 años"]),
        ("Věk: 52\nVârsta: 47 ani\nUmur: 29 tahun\nTuổi: 33\nВозраст: 54", ["52", "47 ani", "29 tahun", "33", "54"]),
        ("ålder 27; Életkor: 61 év; 45-jährige Frau; 田中さん（52歳）", ["27", "61 év", "45-jährige", "52歳"]),
        ("age - 33\nApplicant age (years): 27\nAge: approx. 50\nAge: 34, 180 cm", ["33", "27", "approx. 50", "34"]),
        # rough ages where a cue says an age is meant
        ("Age: 40 something. customer is late 40s, Caller: male, mid-30s", ["40 something", "late 40s", "mid-30s"]),
        ("she's forty-something; a 30-something teacher", ["forty-something", "30-something"]),
        # a sex beside the number, in every order
        ("Rahul (34, M), Applicant: F/29, Patient 63/M, female, 26, from Nairobi", ["34", "29", "63", "26"]),
        ("hi, kasia here, 34f, moved\nM 45, Dublin", ["34f", "45"]),
        # lists of ages and of names with ages
        ("my kids, ages 5 and 8; Ages: 34, 36 and 7", ["5 and 8", "34, 36 and 7"]),
        ("Passenger list: Jan Novák 45, Eva Nováková 43", ["45, Eva Nováková 43"]),
        ("Occupants: 2 adults (38, 41), 1 child (6); me (32)", ["38, 41", "6", "32"]),
        # verbs of turning and being an age, in several languages and in capitals
        ("cumplí 40 ayer; Meine Mutter wird 80 und; mi papá tiene setenta y no", ["40", "80", "setenta"]),
        ("my husband will be 60 next month; my neighbour is 78, alone", ["60", "78"]),
        ("WE HAVE A CUSTOMER AGED 91 WAITING; She's only nineteen, ok", ["AGED 91", "only nineteen"]),
        ("my daughter is nearly 13 so she; me and my wife are both 70 and", ["nearly 13", "both 70"]),
        # birthdays, "a boy of twelve", an age after a role or a year of birth
        ("her 80th birthday; my son's 18th birthday; a boy of twelve", ["80th", "18th", "twelve"]),
        ("CALLER: DONALD REID, 71 YRS, HARD OF HEARING; Elderly man, approx 85, confused", ["71 YRS", "approx 85"]),
        ("Herr Öztürk (Jg. 1958, 66) ruft an; DOB 14/02/1961 (63 y/o)", ["66", "63 y/o"]),
        ("Nadia (twenty-six) and the children (3 and 5); birth year 1990 (34 now)", ["twenty-six", "3 and 5", "34"]),
        ("my son who is 9 got a phone; Ewa lat 34, nauczycielka; she is about 60 I think", ["9", "34", "about 60"]),
    ],
)
def test_ages_of_round_three(text: str, expected: list[str]) -> None:
    assert spans(text, "age") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # compound number words of other languages, with or without their unit
        (
            "Patientin, dreiundachtzig Jahre; Mijn moeder is achtenzeventig en",
            ["dreiundachtzig Jahre", "achtenzeventig"],
        ),
        ("Ma fille a vingt-deux ans; Mi hijo tiene doce años y", ["vingt-deux ans", "doce años"]),
        (
            "Età: sessantadue\nIdade: cinquenta e três\nEdad: treinta y dos años",
            ["sessantadue", "cinquenta e três", "treinta y dos años"],
        ),
        ("jag är trettiofem år och; Mein Sohn ist zwölf Jahre alt und", ["trettiofem år", "zwölf Jahre alt"]),
        # ranges, one span each
        (
            "Suspect: male, 30-35, about 180 cm; the driver was between 40 and 45, wearing",
            ["30-35", "between 40 and 45"],
        ),
        ("a flatmate aged 25–30, non-smoker; Teenager, 14 or 15, was seen", ["aged 25–30", "14 or 15"]),
        ("Children: Jonah (6), Ruby (8 or 9, not sure), Finn (2½)", ["6", "8 or 9", "2½"]),
        # rough ages of other languages and "pushing 70"
        (
            "Die Anruferin ist Mitte 50 und; Der Fahrer war Anfang 40, trug; Er ist Ende 60.",
            ["Mitte 50", "Anfang 40", "Ende 60"],
        ),
        ("Una signora sui settant'anni; my dad is pushing 70 and still drives", ["settant'anni", "pushing 70"]),
        ("he's a thirtysomething engineer; Mother (fortyish) asked", ["thirtysomething", "fortyish"]),
        # lists and rows
        ("My kids are ages 4/7/9, ok?\nName,Age,City\nLukas Berger,41,Graz", ["4/7/9", "41"]),
        ("three kids aged 4/7/9 loved it; a son aged 12/2019 intake", ["aged 4/7/9", "aged 12"]),
        ("DOB / Age: 04/09/1979 / 45\nAge at time of incident: 52", ["45", "52"]),
        # infants, a sex before the age in brackets, "here, 33"
        ("Our baby is 10 days old; my daughter (7 mo); Patient (m, 58) came", ["10 days old", "7 mo", "58"]),
        ("Hi, Tomasz here, 33, moving; Rider: Chen Jing / F / 27 / Chengdu", ["33", "27"]),
        ("I'm fourty two and; een jongen van 12 heeft; um rapaz de 15 anos partiu", ["fourty two", "12", "15 anos"]),
        ("hey im 22 f from leeds; Passenger 3: Ola, 14 (minor); Age of applicant (in years): 19", ["22", "14", "19"]),
        ("Imam 34 godine. Prije 5 godina sam se preselila.", ["34 godine"]),  # "5 years ago" is no age
    ],
)
def test_ages_of_round_four(text: str, expected: list[str]) -> None:
    assert spans(text, "age") == expected


@pytest.mark.parametrize(
    "text",
    [
        "a 3 year warranty, it is 3 years since, 10 years of work",
        "Windows 10 (64-bit) and step (2)",
        "the 21st century, room 12 for 4 people",
        "the 50 minute film is in its 30s fashion",
        "It is 5. The price is 30, the warranty is 5 years. Temperature: 30 F. They raised 50M, 5M users.",
        "the 42 bus, 3 years of warranty, a 10-year-old bug, Room 12, released in 1999",
        "the product is 3 years old; My car is 12 years old; our puppy is 3 months old",
        "vor 3 Jahren; 3 años de garantía; it will be 50 next month; the late 90s were great",
        "there were 40 something people; for ages 3+ and ages 5-12; Ages 8 and up",
        "Apollo 11, Gemini 4 and Mercury 7; Plot 14, Sector 21; Windows 10, Office 16",
        "I waited 3 and a half hours; Ihr Termin: Donnerstag, 14. November",
        "I'm 5 minutes late; she is 5 feet tall; we ordered 12 pizzas for 30 people",
        "the driver who is 5 minutes away; our team of 12 finished 3rd; the 2nd edition ships in 5 days",
        # round four: things, warranties and durations in other languages; thresholds; sums and years
        "Mein Handy ist zwei Jahre alt und; La garantía es de dos años. Das Paket ist seit 12 Tagen unterwegs.",
        "Age restriction: 18+ only; children under 12 are free; the 30-35 minute wait; rated 15",
        "Ende 2020 kam er; Mitte 50 % der Kunden; une trentaine de personnes; il y a vingt ans",
        "a fifty car pileup; entry number twenty the worst; about thirty seconds in",
        "Product Code,12,Blue\nApollo 11, Gemini 4",
        "Room 14 (minor damage); im 5 for the win; I am 5 feet tall",
        # a threshold in brackets, the age of a building in another language
        "Tickets: 2 adults, 2 children (under 16).",
        "El edificio tiene 80 años y la comunidad de vecinos no quiere pagar.",
    ],
)
def test_numbers_that_are_no_age(text: str) -> None:
    assert spans(text, "age") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("born March 3rd, 1987, or 3/3/87", ["March 3rd, 1987", "3/3/87"]),
        ("I was born in ’85 and she was born in '92", ["85", "92"]),
        ("i ordered on the 3rd of March and my birthday is march 3", ["the 3rd of March", "march 3"]),
        ("Account opened March 2019; see you Wednesday 3 July", ["March 2019", "Wednesday", "3 July"]),
        ("I CANNOT LOG IN SINCE TUESDAY. Sunday the 5th at 3pm", ["TUESDAY", "Sunday the 5th", "3pm"]),
        ("I was born in 1984; DOB: 1958", ["1984", "1958"]),
        ("born 1968-07-22; DOB 1968/07/22", ["1968-07-22", "1968/07/22"]),  # the whole date, not its year alone
        ("booked for the 21st, moved to the 10th; wedding on 8/14", ["the 21st", "the 10th", "8/14"]),
        ("Signed in Brno, 12. 3. 2024", ["12. 3. 2024"]),
        ("Nacido el 4 de agosto de 1979; geboren am 3. Juni 1965", ["4 de agosto de 1979", "3. Juni 1965"]),
        (
            "née le 17 mars 1974, 9 giugno 1988, Ihr Termin: Donnerstag, 14. November",
            ["17 mars 1974", "9 giugno 1988", "Donnerstag, 14. November"],
        ),
        ("see you tuesday then, or on saturday", ["tuesday", "saturday"]),
        ("born in 1991 in Mostar and moved to Ljubljana in 2003; b. 1947", ["1991", "2003", "1947"]),
        ("Date of birth: 07 / 11 / 1985; DOB: 29 - 02 - 1992", ["07 / 11 / 1985", "29 - 02 - 1992"]),
        ("guest arrives 03.11. in the evening; Geburtstag: 14.02.; 1.9. alkaen", ["03.11.", "14.02.", "1.9."]),
        ("Születési idő: 1971. március 12.", ["1971. március 12."]),
        ("Ihr Termin: Freitag um 10:15 Uhr; rendez-vous mardi à 14h30", ["Freitag um 10:15 Uhr", "mardi à 14h30"]),
        ("Termin am Mittwoch um 9 Uhr; el lunes a las 10 en la clínica", ["Mittwoch um 9 Uhr", "lunes a las 10"]),
        ("Arrival: 14.02., departure: 18.02.; see you dinsdag om 19:00", ["14.02.", "18.02.", "dinsdag om 19:00"]),
        ("my dad was born in Tromsø in 1952", ["1952"]),
        ("Hired: 03-Mar-2015; DOB 3-MAR-87; part no. X-3-Mar-15", ["03-Mar-2015", "3-MAR-87"]),
        (
            "born on the fourth of March 1987; birthday March the twenty-first",
            ["the fourth of March 1987", "March the twenty-first"],
        ),
        (
            "a lift on sat the 14th? Any day but Wed 14th March. Mon 1st Aug",
            ["sat the 14th", "Wed 14th March", "Mon 1st Aug"],
        ),
        (
            "ar 4 Mawrth 1987; ar an 3 Bealtaine 1995; 12 maja 1997; 3. května 1990",
            ["4 Mawrth 1987", "3 Bealtaine 1995", "12 maja 1997", "3. května 1990"],
        ),
        (
            "Nasci em 1993. Urodziłam się w 1997. Sono nata nel 1980. Je suis née en 1975.",
            ["1993", "1997", "1980", "1975"],
        ),
    ],
)
def test_dates(text: str, expected: list[str]) -> None:
    assert spans(text, "date") == expected


@pytest.mark.parametrize(
    "text",
    [
        "released in 1999, the 21st century, since 2008",
        "you may 2 times, a 3 for 2 offer, scored 8 of 10",
        "the sunday matinee was long",  # lower-case weekday: chat or review text, no date
        "a sunday afternoon kind of film, on sunday night live",
        "see section 2.3. for details, step 4.1. next, and version 1.9. Then restart",  # numbered parts of a text
        "I give it 4.5. great product. Python 3.9. it works. Table 2.3. lists it. See sections 2.1.-2.4. below",
        "Plácido Domingo sang; a sabato mood",  # a weekday of another language needs its time
        "The 50 / 30 / 20 rule is a simple budget; crude for Dec '24 delivery rose 2%; sizes 8 / 10 / 12",
        "Inflation fell by 1.2. Analysts agreed. I'm on 4.2. and it crashes. Changes since 3.1. are listed.",
        "Der Fehler tritt seit der 2.3. auf. Verfügbar ab 1.4. La inflación subió al 3.2. Die Rendite stieg bis 4.5.",
        "Sizes: 8 / 10 / 12. EMA: 9 / 12 / 26. Steps to reproduce: 1 / 2 / 10. Update 4 - 5 - 100",
        "candidate 1 / 2 / 12, data 1 / 2 / 10",
        "Der Dax stieg am Montag um 1.25 Prozent. Le titre a pris lundi à 1.50 euro.",
        "The brand was born in Italy in 1950. Tesla was born in California in 2003.",
        "Der DAX stieg am Montag um 2 Prozent. Le CAC 40 a clôturé mardi à 7 512 points.",  # a market's move
        "Born in Detroit in 1959, Motown changed pop music. The company, born in Stockholm in 2008, grew.",
        "Born in the USA, released in 1984. The company was born in a garage in 1976. Max Born won it in 1954.",
        "the fourth of July parade; it was the first of many; the second of the games; Sat 5 mins; an IBM 360 (1964)",
        "Breaking Bad (2008–2013) and Mad Men (2007–2015); SKU 5-Sep-12; Hamilton sat 3rd; Sat 1st place",
        "May the Fourth be with you; we march the second battalion out",
        "I asked Jan the second question; 3 Samhain traditions; 5 Medi-Cal members; La marque est née en 1946.",
    ],
)
def test_years_and_words_that_are_no_date(text: str) -> None:
    assert spans(text, "date") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please send it to Dašická 688, Pardubice 530 03.", ["Dašická 688, Pardubice 530 03"]),
        ("deliver to Nybyvägen 65 Apt. 392, ANKARSRUM, Sweden", ["Nybyvägen 65 Apt. 392, ANKARSRUM, Sweden"]),
        ("Rechnung an Hauptstraße 5, 79104 Freiburg. Danke", ["Hauptstraße 5, 79104 Freiburg"]),
        # a Danish floor and side, a Dutch house letter, an Icelandic postcode of three digits on its own line
        (
            "TO: Nørrebrogade 184, 3. tv., 2200 København N, DENMARK",
            ["Nørrebrogade 184, 3. tv., 2200 København N, DENMARK"],
        ),
        ("Het gehuurde: Lange Nieuwstraat 88 A, 3512 PJ Utrecht", ["Lange Nieuwstraat 88 A, 3512 PJ Utrecht"]),
        ("Guðrún Sigurðardóttir\nLaugavegur 28\n101 Reykjavík\nIceland", ["Laugavegur 28\n101 Reykjavík\nIceland"]),
        # Greek, Maltese and Albanian street words in front, Latvian "iela" after the name
        ("the villa (Odos Agiou Nikolaou 9, Kissamos 734 00) is booked", ["Odos Agiou Nikolaou 9, Kissamos 734 00"]),
        ("send to Triq il-Kbira 23, Mosta", ["Triq il-Kbira 23, Mosta"]),
        ("Rruga e Kavajës 45, Tiranë 1001", ["Rruga e Kavajës 45, Tiranë 1001"]),
        ("Adrese: Brīvības iela 12-4, Rīga, LV-1010", ["Brīvības iela 12-4, Rīga, LV-1010"]),
        # the learned tagger (core/path/learned.py) reads the two streets as one
        ("at Grünwalder Weg 3 or Karl Johans gate 22", ["Grünwalder Weg 3 or Karl Johans gate 22"]),
        ("Via dei Mille 7, int. 3, 80121 Napoli.", ["Via dei Mille 7, int. 3, 80121 Napoli"]),
        ("ul. Marszałkowska 84/92 m. 17, 00-514 Warszawa", ["ul. Marszałkowska 84/92 m. 17, 00-514 Warszawa"]),
        ("14 avenue Jean Jaurès, 69007 Lyon", ["14 avenue Jean Jaurès, 69007 Lyon"]),
        ("PO Box 4471, Anchorage, AK 99509", ["PO Box 4471, Anchorage, AK 99509"]),
        ("〒150-0041 東京都渋谷区神南1-2-3", ["〒150-0041 東京都渋谷区神南1-2-3"]),
        ("Shipping to: Osaka, Kita-ku Umeda 3-1-1", ["Kita-ku Umeda 3-1-1"]),
        ("Dirección: Calle 50 #12-34, Bogotá", ["Calle 50 #12-34, Bogotá"]),
        ("I'm in Apt. 342 now", ["Apt. 342"]),
        ("my zip is 94105, postcode CA17 4QT, postal code B3H 1A1", ["94105", "CA17 4QT", "B3H 1A1"]),
        ("the eircode is A98 X2Y3", ["A98 X2Y3"]),
        ("Plot 14, Sector 21, Gurugram, Haryana 122016", ["Plot 14, Sector 21, Gurugram, Haryana 122016"]),
        ("No. 7, 3rd Cross, Jayanagar, Bangalore - 560011", ["No. 7, 3rd Cross, Jayanagar, Bangalore - 560011"]),
        ("D-45, Lajpat Nagar II, New Delhi 110024", ["D-45, Lajpat Nagar II, New Delhi 110024"]),
        ("PIN 411038, Pune; PIN code: 682001", ["411038", "682001"]),
        # a form's next field label is no town of the address before it
        ("Address: Bahnhofstrasse 7, 8001 Zürich\nInsurer: Helsana", ["Bahnhofstrasse 7, 8001 Zürich"]),
        # the field label "address" of another language; a town after its postcode needs no end of clause
        ("Naam: Pieter Janssens\nAdres: Meir 50, 2000 Antwerpen", ["Meir 50, 2000 Antwerpen"]),
        ("handover at Mariahilfer Straße 77/12, 1060 Wien done today", ["Mariahilfer Straße 77/12, 1060 Wien"]),
        ("Lakcím: Hátfalvai utca 8., H-2916 Mosonhetvendevecser.", ["Hátfalvai utca 8., H-2916 Mosonhetvendevecser"]),
        # Hungarian puts the postcode and town first; Spanish "C/"; Slovenian, Icelandic and Estonian street words
        ("Címem: 1052 Budapest, Petőfi Sándor utca 3, 2. em.", ["1052 Budapest, Petőfi Sándor utca 3"]),
        ("Envío: C/ Sol 12, 3º A, 28013 Madrid", ["C/ Sol 12, 3º A, 28013 Madrid"]),
        ("Dostava: Tržaška cesta 2, 1000 Ljubljana", ["Tržaška cesta 2, 1000 Ljubljana"]),
        ("Address: Plot 27, 4th Cross, Indiranagar", ["Plot 27, 4th Cross, Indiranagar"]),
        ("visc al carrer de la Riera 45, 2n 1a, 08301 Mataró.", ["carrer de la Riera 45, 2n 1a, 08301 Mataró"]),
        (
            "tinggal di Jl. Melati No. 17, RT 03/RW 05, Bandung 40115.",
            ["Jl. Melati No. 17, RT 03/RW 05, Bandung 40115"],
        ),
        (
            "new Box 88, Intercourse, PA 17534. Write to Box 312, c/o this paper",
            ["Box 88, Intercourse, PA 17534"],
        ),
        (
            "Laugavegur 31, 101 Reykjavík; Pikk tn 7-3, 10117 Tallinn",
            ["Laugavegur 31", "Pikk tn 7-3, 10117 Tallinn"],
        ),
        # a floor as units are written: "2.º", "3rd floor"; "I live at" of other languages
        ("Rua Augusta 274, 2.º\n1100-053 Lisboa", ["Rua Augusta 274, 2.º\n1100-053 Lisboa"]),
        ("Deliver to Panepistimiou 12, 4th floor, 106 79 Athina", ["Panepistimiou 12, 4th floor, 106 79 Athina"]),
        ("Živim u Vukovarska 14, 21000 Split", ["Vukovarska 14, 21000 Split"]),
        (
            "bydlím v Brně na adrese Lidická 8, 602 00; vivo en C/ Luna 3, 28004 Madrid",
            ["Lidická 8, 602 00", "C/ Luna 3, 28004 Madrid"],
        ),
        # a hotel room or flat that locates the writer
        ("I'm in Room 414 until noon; we moved into flat 3b, top floor", ["Room 414", "flat 3b"]),
    ],
)
def test_addresses_of_many_countries(text: str, expected: list[str]) -> None:
    assert spans(text, "address") == expected


@pytest.mark.parametrize(
    "text",
    [
        "We met at Gate 9 and at Windows 10 launch, in Berlin 2 weeks ago.",
        "released in June 2019, born in Paris 1999, see Chapter 3",
        "the Strange Days 2 sequel",
        "The meeting is at Building 5, ship to Team 3 first.",
        "Order No. 7, Road Runner edition; Song No. 2 on Side B",
        "I was born in Mostar and moved to Ljubljana in 2003.",  # a year after a cue word is no house number
        "Tesla Model 3, 2019 Edition. Windows 10, 2020 Update.",  # a year is no postcode
        "Order 5512, 2500 Units. Room 12, 1500 Euros. Season 2, 10000 Hours.",  # no cue: no address
        "it is 5 minutes walk, at 2 different roads; the meeting is in Room 4; a flat 20% fee",
        "the Geneva 2 talks",
        "Round the total to 1 decimal place. Copy it to 500 gb external drive. Switch to 4 wheel drive.",
        "That is 5 in a row! Knit to 4 sts per row. Dinner at 7 on the terrace. The feature is 1 way street.",
        "Now available at flat 499 only! Shipping at flat 50 rupees; this is the keynote in Room 201",
        "Order: 4 x Ctn 12 pcs. Fire Stn 12 responded. Click Btn 3. Releases go out Friday PST 9, please plan.",
        "In 2023 Berlin was busy. A MÁV Vasút 2024 beruházásai. Körút 2024: a program bővül.",
        "USB-C/ Lightning 3 in 1 cable; 0°C/ Max 40. Let's talk Monday pst 9.",
        "Boots plans to move to 10 high street sites. Come to 5 beer gardens! we moved to 2 hard drive raid",
        "I'm in room 3 of the escape game. We are in room 4 for the workshop. Units sold in Flat 12 pack format.",
        "We're in Room 101 for the workshop. I'm in Room 404 not found. Pay at Flat 15 rate.",
        "Shipping from Flat 5 dollars",
        "I bought the USB C/ Lightning 2 pack. Temp 21 C/ Feels 19. La cesta 3 tiene productos. Disk mnt 2 is full.",
        "Vivo en Madrid desde hace 3 años. Wohne in Berlin seit 5 Jahren. Abito a Roma da 5 anni.",
        "I'm at 5 down the road. We just moved to 2 bedroom place. i'm at 5 star place now",
    ],
)
def test_names_with_numbers_that_are_no_address(text: str) -> None:
    assert spans(text, "address") == []


@pytest.mark.parametrize(
    "text",
    [
        "ITS THE BEST MOVIE OF 2004, BY FAR",  # a reviewer's: "OF 2004" was read as a state and a postcode
        "THE SEQUEL CAME OUT IN 1999 AND NOBODY REMEMBERS IT.",  # "IN" is Indiana, but its ZIP codes have 5 digits
        "I SAW IT IN 2004, LOVED IT",
        "BEST FILM OF THE YEAR, ME 2010 STYLE",
    ],
)
def test_capitals_with_a_year_are_no_address(text: str) -> None:
    assert GROUPS.find(text, PII_GROUPS) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Boise, ID 83702", ["Boise, ID 83702"]),
        ("Fitzroy VIC 3065, Australia", ["Fitzroy VIC 3065, Australia"]),
        ("Halifax, NS B3H 1A1", ["Halifax, NS B3H 1A1"]),
        ("HILLSBORO, WV 24946", ["HILLSBORO, WV 24946"]),
    ],
)
def test_a_town_state_and_postcode_without_a_street(text: str, expected: list[str]) -> None:
    assert spans(text, "address") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dear Support,\nthe app crashes. Dear Support Team, Hello Customer Service", []),
        ("Hi, I'm Vikram from Pune.", ["Vikram"]),
        ("Please write to Mr D. Fitzgerald today.", ["Mr D. Fitzgerald"]),
        ("From: Hannah Goldberg\nSubject: delayed delivery", ["Hannah Goldberg"]),
        ("Name: Hemi Parata | Age: 33", ["Hemi Parata"]),
        ("Thanks,\nashok", ["ashok"]),
        ("THIS IS GERALDINE MCBRIDE AND I WANT A REFUND NOW", ["GERALDINE MCBRIDE"]),
        ("Name on card: T. ADEYEMI\nExpiry: 09/28", ["T. ADEYEMI"]),  # initials before a name in a field
        ("Contact Helga Brandt at the desk. Ask Priya Shah for the keys.", ["Helga Brandt", "Priya Shah"]),
        ("Contact: I.T. Helpdesk\nOwner: Q.A. Team\nDear A.I. Team,", []),  # abbreviations are no initials
    ],
)
def test_names_the_ner_misses_and_greeting_words_it_takes(text: str, expected: list[str]) -> None:
    assert spans(text, "person") == expected


def test_places_in_form_fields() -> None:
    assert spans("sex: F\ncity: Laax", "location") == ["Laax"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Skiing in Laax was fine; a trip to Hallstatt", ["Laax", "Hallstatt"]),
        ("WE LIVE NEAR ANKARSRUM AND THE POST OFFICE IS FAR", ["ANKARSRUM"]),
        ("Written in Python, tested in Docker, published to PyPI, run in Excel", []),
    ],
)
def test_towns_too_small_for_the_ner(text: str, expected: list[str]) -> None:
    assert spans(text, "location") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi, Tomasz here, 33, moving to Bristol next month", ["Bristol"]),
        ("Marta Nowak (52 J.) aus Krakau", ["Krakau"]),
        ("Bună ziua, sunt Andrei Ionescu din Iași.", ["Iași"]),
        ("Send to Quinta do Lago, Lote 12, Almancil.", ["Almancil"]),
        ("Prof. Anand Krishnamurthy, IIT Madras, Chennai 600036", ["Chennai 600036"]),
        ("Atatürk Bulvarı No:45, 06420 Çankaya/Ankara", ["06420 Çankaya"]),
        ("Av. Corrientes 1234, piso 5 B, C1043AAZ Buenos Aires.", ["Buenos Aires"]),
        ("RUA DE SANTA CATARINA 112, 3.º ESQ., 4000-442 PORTO — a sua encomenda", ["PORTO"]),
        ("Name,Age,City\nLukas Berger,41,Graz\nAna Paula Souza;37;Recife;ana@mail.com.br", ["Graz", "Recife"]),
        ("Istituto Comprensivo Manzoni di Bergamo.", ["Bergamo"]),
        ("She grew up in ALMANCIL, then moved to LONDON. I was born in LAAX.", ["ALMANCIL", "LONDON", "LAAX"]),
    ],
)
def test_listed_towns_where_a_place_comes(text: str, expected: list[str]) -> None:
    """GeoNames' towns (`core/path/places.py`) that the NER misses, after a preposition or beside a postcode."""
    assert [place for place in spans(text, "location") if place in expected] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I'm moving to Lethbridge, AB on Oct 3rd; we flew to Reno, NV. Then Austin, TX.",
            ["Lethbridge, AB", "Reno, NV", "Austin, TX"],
        ),
        (
            "Lost near the pier, Sandusky OH. Apto 301, Belo Horizonte – MG, Brasil",
            ["Sandusky OH", "Belo Horizonte – MG"],
        ),
        ("in Ennis, Co. Clare, and born in Bangor, County Down", ["Ennis", "Co. Clare", "Bangor", "County Down"]),
        ("I moved to Portland OR maybe Seattle.", ["Portland", "Seattle"]),  # "OR" goes on: a word
        ("I LIVE IN LONDON, IN THE RAIN.", ["LONDON"]),  # capitals: "IN" is a word
        ("moving to 9 Tern Court, Whitstable on Friday", ["Whitstable"]),
    ],
)
def test_a_state_or_province_code_and_an_irish_county_go_with_the_town(text: str, expected: list[str]) -> None:
    assert [place for place in spans(text, "location") if place in expected] == expected


def test_a_town_after_a_number_without_a_street_name_needs_the_clause_to_end() -> None:
    # "Whitstable" is a town that the learned tagger reads as one (core/path/learned.py); the rules leave it
    assert spans("Invoice 22, Whitstable on hold. Sent to Lote 12, Almancil.", "location") == ["Whitstable", "Almancil"]


@pytest.mark.parametrize(
    "text",
    [
        "We met in March and went to Reading for the festival.",  # listed towns that are ordinary words
        "I work in IT and moved to HR last year.",  # acronyms, also listed places' codes
        "We moved to AZURE from AMAZON, work in FINANCE and invest in NASDAQ and NATO members.",  # long acronyms, words
        "Rewrite it in KOTLIN. Export to MATROSKA. Mount via SAMBA. Flights from DELTA resumed. Revenue in IBERIA.",
        "We stayed two nights in PARADISE resort.",  # a large town's name, but a word English knows
        "1,Austin,120,TX\nQ1,Charlotte,12000,North\nLeeds,2,Preston,1\nsku,Max Temp,21,Leeds",  # rows of no person
        "id,name,price,city\n1,Widget,12,Leeds\norder_id,product_name,qty,city\n1001,Gizmo,5,Bristol",  # products
        "id,name,price,city\n1,Victoria Sponge,3,Leeds\nticker,name,price,hq\nPAH3,Porsche SE,40,Stuttgart",
        "We're moving to KOTLIN from JAVA next sprint. We moved from ERLANG to ELIXIR.",  # no home
        "moved to bristol last year, loving it",  # lower case: review text (SST-2) is written so
        "Call me at 600036 Thanks.",  # a number and a word beside it, no listed place
        "$BL - BlackLine, Inc. 2019 Q3 - Results",  # a year is no postcode
        "Indonesia's Jokowi Warns of Economic Calamity From Forest Fires",  # a headline capitalises every word
        "Stocks making the biggest moves in the premarket: Uber, Canada Goose, Hanesbrands & more",  # a list, no row
        "We met in March 2020 and in May 1999",  # months beside numbers
        "Room 1024 Hilton hotel was dirty. Order 12345 Chelsea boots. I paid 2500 Dinar. Tata 1210 truck parts.",
        "Shares in Nokia rose 4%. I bought these from Converse online. Move to Country Club membership.",
        "Paid in Nov, refunded in Dec. From Mon to Fri. Brighton v Fulham kicks off at 3pm.",
        "1200 Sales calls today.\nOrder received, 12345 Chelsea boots arrived. Battery 5000, Price 1200.\nSales 4500",
        "Product,Qty,Warehouse\nWidget,12,Leeds",  # a row that is no person's
        "Vodafone moving key operations to Google Cloud",  # Topeka's other name for a month: a word English has
        "Should You Think About Buying NV5 Global, Inc. (NASDAQ:NVEE) Now?",  # airport codes ("INC") are no towns
    ],
)
def test_listed_towns_need_a_place_word_and_a_capital(text: str) -> None:
    from core.path.ner import _find_listed_places

    assert _find_listed_places(text) == []


def test_a_postcode_beside_a_town_goes_with_it_and_a_year_does_not() -> None:
    assert spans("Our office is in New Delhi 110024 now.", "location") == ["New Delhi 110024"]
    assert spans("She lives in 75011 Paris now.", "location") == ["75011 Paris"]
    assert spans("The Olympics were in Paris 2024.", "location") == ["Paris"]


def test_all_capitals_are_recased_for_the_ner_without_moving_offsets() -> None:
    text = "THIS IS GERALDINE MCBRIDE FROM MALAGA"
    assert _recased(text) == "this is Geraldine Mcbride from Malaga"
    assert len(_recased(text)) == len(text)
    assert _recased("A normal Sentence with NASA in it.") == "A normal Sentence with NASA in it."


def test_pii_includes_age_and_leaves_a_film_review_alone() -> None:
    assert "age" in PII_GROUPS
    review = "the film charlotte , released in 1999 , is a quiet 90 minute drama about a sunday in june ."
    assert GROUPS.find(review, PII_GROUPS) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our customer Guðrún left her umbrella; MEHMET called, and tuomas too.", ["Guðrún", "MEHMET", "tuomas"]),
        # the NER calls these organisations; a listed given name first and no organisation word make them names
        ("My name is Virpi Mäkinen and I live in Laax.", ["Virpi Mäkinen"]),
        ("I spoke with Guðrún Jónsdóttir yesterday.", ["Guðrún Jónsdóttir"]),
    ],
)
def test_given_names_of_many_languages(text: str, expected: list[str]) -> None:
    assert spans(text, "person") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Greta (age 8) and Hugo (age 11) are travelling alone", ["Greta", "Hugo"]),
        ("Children: Jonah (6), Ruby (8 or 9, not sure)", ["Jonah", "Ruby"]),
        ("Bio: Rafael, 33, São Paulo. Engineer by day.", ["Rafael"]),
        ("Wrong address on file. Name: Kagiso Molefe. Account 0098-3321.", ["Kagiso Molefe"]),
    ],
)
def test_names_with_an_age_after_them_or_a_field_label_mid_line(text: str, expected: list[str]) -> None:
    assert [name for name in spans(text, "person") if name in expected] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thank you so much lindiwe! you saved my day", ["lindiwe"]),
        ("hello i am tshepiso from kathmandu, age 24, i want a room", ["tshepiso"]),
        ("hi all, thanks again! i am back from holiday. hey guys, thank you so much everyone!", []),
        ("hey siri, thanks paypal! i am exempt from the fee.", []),
    ],
)
def test_lower_case_names_after_a_greeting_or_i_am(text: str, expected: list[str]) -> None:
    assert spans(text, "person") == expected


def test_an_english_word_with_a_number_after_it_is_no_name() -> None:
    from core.path.ner import _find_cued_names

    text = "See Section (12) of the Lease (3), Table (4) and Toronto, 33, rainy. Revolut (10) transfers stuck."
    assert _find_cued_names(text) == []


def test_surnames_of_many_languages_when_capitalised() -> None:
    text = "Okafor and Lefebvre called; OKAFOR; Miller and Brown"
    assert spans(text, "person")[:2] == ["Okafor", "Lefebvre"]
    assert "okafor" not in spans("the okafor family; Miller and Brown", "person")  # a listed surname in lower case
    assert spans("THIS IS FROM OKAFOR", "person") == ["OKAFOR"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Okafor called; the okafor family moved", ["Okafor", "okafor"]),  # a name found once is found everywhere
        ("Agent (Rahul): hello\nCustomer: thanks rahul, bye", ["Rahul", "rahul"]),
        ("Mark Evans called. mark my words, Mark said so.", ["Mark Evans", "Mark"]),  # not English's "mark"
    ],
)
def test_the_other_mentions_of_a_name_found_are_withheld(text: str, expected: list[str]) -> None:
    assert spans(text, "person") == expected


def test_a_capitalised_name_ends_before_a_lower_case_word() -> None:
    text = "Sra. Gabriela Morales llamó para confirmar la cita."
    assert spans(text, "person") == ["Sra. Gabriela Morales"]


def test_a_title_before_a_found_name_goes_with_it_in_any_case() -> None:
    assert spans("dr. patel will see you now", "person") == ["dr. patel"]  # a lower-case text is read recased
    text = "Thank Lady Ashworth, Cllr Patel, Fr Doyle and Hon. Ruth Kagame. MRS Okafor called."
    assert spans(text, "person") == ["Lady Ashworth", "Cllr Patel", "Fr Doyle", "Hon. Ruth Kagame", "MRS Okafor"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kia ora, I'm Mere Tawhiri. Goeie môre, ek is Pieter van der Merwe.",
            ["Mere Tawhiri", "Pieter van der Merwe"],
        ),
        ("Sawubona, ngingu Nomvula Khumalo.", ["Nomvula Khumalo"]),
        ("Subject: Meter reading dispute\nSubject: Complaint about John Smith", ["John Smith"]),
        ("Flat 2, Elm Row. Name's Callum.", ["Callum"]),
    ],
)
def test_greetings_of_other_languages_subject_lines_and_name_labels_are_no_names(
    text: str, expected: list[str]
) -> None:
    assert spans(text, "person") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hola Juan,\ngracias por tu mensaje.", ["Juan"]),
        ("Olá Joana, tudo bem? Ciao Giulia, ti scrivo.", ["Joana", "Giulia"]),
        ("Hola a todos, gracias. Hallo zusammen! Hallo Zusammen, kurze Frage.", []),
        ("Bonjour Madame, merci. Cher Monsieur, je vous écris. Estimado cliente:", []),
        ("Liebe Grüße, Anna", ["Anna"]),
        ("Hola Mundo program in Python. Hej Team, tack. Hola Familia. Oi Mate. Hallo Mama.", []),
    ],
)
def test_greetings_of_other_languages_name_who_is_greeted_and_no_greeting_word(text: str, expected: list[str]) -> None:
    assert spans(text, "person") == expected


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        (
            "admitted 28/10, discharged 04/11 to Leeds. Follow up 12/12 in clinic. Appt 7/14.",
            "date",
            ["28/10", "04/11", "12/12", "7/14"],
        ),
        (
            "The boiler service is on Wed 7/1 between 8 and 12. DEP 18DEC 0930 LHR. DOB 18DEC1985 passport. "
            "Doğum tarihi: 23 Nisan 1995",
            "date",
            ["Wed 7/1", "18DEC", "18DEC1985", "23 Nisan 1995"],
        ),
        (
            "Note 1/2 cup. Note 4/4 time. Reviewed 5/5. received 9/10 from the judges. Sat 2/1 win. Mon 2/3 of the "
            "team. Follow up 2/3 weeks. Seen 2/7 ago. Mon 24/7 service. AAPL 18DEC 150C. SALE ENDS 31DEC. "
            "Part 12MAY-4. Parks visited: 14/20. I received 17/20 on the quiz. Delivered 3/3 on time. "
            "Codes: A1, B2, 3MAR. Expires 12/26 on the card. Walmart 7 Mart 2024 promo. PRs reviewed 9/12. Rooms "
            "booked 11/12 at the Hilton. see note 2/4. Sat 3/1 to Arsenal. Open Mon-Fri 9/5. Appointments booked 24/7. "
            "Loading calls on 20DEC.",
            "date",
            [],
        ),
        ("meet at mine, 41 dunmore st. i'm at 22 kilbride road", "address", ["41 dunmore st", "22 kilbride road"]),
        (
            "at 3 windy rd. at 4 season ave. at 60 fps ave. at 1 st place. at 12 tmrw st. SPY at 450 eod close",
            "address",
            [],
        ),
        (
            "at 7 easy st. at 45 career ave. at 2 pm st patricks. at 70 mph hwy. at 3 bikes st. cast on 2 extra st. "
            "Switch to 4 wheel drive. a 10 minute drive on 3 lane road, 2 nice st bernards",
            "address",
            [],
        ),
        (
            "SENDER: MATA, ROSALINDA / 45-12 JUNCTION BLVD APT 3F / CORONA NY 11368",
            "address",
            ["45-12 JUNCTION BLVD APT 3F", "CORONA NY 11368"],
        ),
        (
            "2019 HONDA CIVIC 4 DR SEDAN. 1 TB EXTERNAL HARD DRIVE. 1 HEAD CT NO CONTRAST. ARSENAL 3-1 SPURS PL. "
            "21 JUMP STREET. 2 BED FLAT WITH ROOF TERRACE. 2 TB SSD DRIVE, SKU 40312. BED 12 ON CALL DR #4432. "
            "3 ATTENDING DR UNIT B. 2 TB EXTERNAL HARD DRIVE, SKU 40312. 12 PRESIDENTIAL COURT SUITE 4 NIGHTS",
            "address",
            [],
        ),
        ("Patient ID 55821 moved. Customer ID 40312 called. Ship to Boise ID 83702.", "address", ["Boise ID 83702"]),
        (
            "passengers: 1) SINGH/GURPREET MR 2) KAUR/MANDEEP MRS 3) SINGH/ARJUN MSTR",
            "person",
            ["SINGH/GURPREET MR", "KAUR/MANDEEP MRS", "SINGH/ARJUN MSTR"],
        ),
        ("NEW PATIENT INTAKE\nName: Okonjo, Chidinma\nDOB: 03.03.1987", "person", ["Okonjo, Chidinma"]),
        ("Name: Test, User", "person", ["Test"]),
        ("Client: Accenture, Austin", "person", ["Accenture"]),
        ("Hallo Herr Schmidt, danke. Hej Alla! Ciao Cara, come stai?", "person", ["Herr Schmidt"]),
        ("Dear Valued Member, hi", "person", []),
        ("Kind regards,\nNomvula Khumalo\nHead of Learning", "person", ["Nomvula Khumalo"]),
        ("Regards,\nThe Billing Team\n\nThanks,\nAccounts Payable", "person", []),
        ("Guest list for Dad's 50th: Ray. r u coming to nanas 90th?", "age", ["50th", "90th"]),
        ("the company's 50th anniversary, my brother's 3rd attempt, mom's 3rd chemo, mum's 4th husband", "age", []),
        ("my son's 90th minute winner, her daughter's 50th percentile, my brother's 18th hole", "age", []),
    ],
)
def test_what_heldout9s_dev_half_missed(text: str, group: str, expected: list[str]) -> None:
    """Forms the dev half of the ninth blind set showed (its test half was not read), and the ordinary text beside
    them that each new rule must leave alone."""
    assert spans(text, group) == expected


def test_pairs_in_capitals_before_ms_dr_or_mr_are_no_booked_names() -> None:
    """Latency columns, disaster recovery, imaging: the booking rule takes none of them with its title (what the NER
    reads in a line of capitals is its own affair)."""
    found = spans("AVG READ/WRITE MS; PELVIS/ABDOMEN MR; CAT/DOG MR; BACKUP/RESTORE DR; RPO/RTO DR", "person")
    assert not [span for span in found if "/" in span and span.endswith((" MS", " MR", " DR"))], found


@pytest.mark.parametrize(
    "text",
    [
        "name (str): Name of the dataset.\nowner (str): Owner of the repo.\nCustomer (required): Please enter it",
        "Oil prices climb as OPEC cuts output - Bloomberg",
        "Sale ends Sunday. – Argos",
        "Skills:\n- Java\n- Kubernetes",
        "Love Island and Strictly are my guilty pleasures. Best Wishes and Happy Holidays",
        "I miss Sarah so much. My sister Kate and my brother Tom. fr Jake was right. yes sir John",
        "Languages: HTML, Ruby and Python. UPDATE, Chase has approved it. WINNER, Jordan Smith takes gold.",
        "Black Friday frenzy: Tiffany buys LVMH, Charles Schwab buys TD. The Best Printer & Shredder Deals",
    ],
)
def test_words_around_names_that_no_new_cue_takes(text: str) -> None:
    """What the first hostile review of this round found: no name cue may take these words (a name the NER finds
    in them stays, without them)."""
    found = spans(text, "person")
    assert not {"Name", "Owner", "Please", "Bloomberg", "Argos", "Kubernetes", "Island", "Wishes"} & set(found)
    assert not [span for span in found if span.split(" ")[0] in {"miss", "sister", "brother", "fr", "sir", "HTML"}]
    assert not [span for span in found if span.startswith(("UPDATE", "WINNER", "LVMH")) or "Shredder" in span]


@pytest.mark.parametrize(
    "text",
    [
        "Nice, OK let's meet at noon then. Reading, OR writing? Sale, ON NOW at all stores! Hope, ME too.",
        "Shares of Ford Motor Co. down 4% in premarket trading. Acme Trading Co. Cork stoppers.",
        "Top 10 Songs, Paradise by Coldplay on repeat.",
    ],
)
def test_codes_counties_and_streets_that_are_no_place(text: str) -> None:
    assert spans(text, "location") == []


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Herbs:\n- Thyme\n- Sage\n- Rosemary", "person", []),  # a list's last item is no sign-off
        (
            "I built a PC and Jordan installed it. The query took 200 ms. Jordan said fine.",
            "person",
            ["Jordan", "Jordan"],
        ),
        ("I'm in DC and Mark is in New York.", "location", ["DC", "New York"]),
        ("I rang HMRC, Sarah was very helpful. At WWDC, Tim Cook spoke.", "person", ["Sarah", "Tim Cook"]),
        ("See you in London, OK? Meet me in Boston, OK!", "location", ["London", "Boston"]),
        ("Smith & Co. Cork Office Opens", "location", []),
        ("Vaig caure al carrer Gran 2 vegades. Jalan Raya 10 menit dari sini.", "address", []),
        ("Sheffield Wed 2nd in the table. We sat the 3rd paper. El 9 marca el segundo gol.", "date", []),
        ("Race results: Ferrari Sat 3rd, Mercedes Sun 1st.", "date", []),
        ("Subject: Complaint about Mark Hunt", "person", ["Mark Hunt"]),
        ("Helo Dafydd, sut wyt ti?", "person", ["Helo Dafydd"]),
        ("Moin Khan kept wicket. Bon Scott sang.", "person", ["Moin Khan", "Bon Scott"]),  # names, not greetings
        ("Cheers, Sam & Co", "person", ["Sam"]),
        ("Address: No. 12, Anna Salai, Chennai", "address", ["No. 12, Anna Salai, Chennai"]),
    ],
)
def test_what_the_second_and_third_reviews_found(text: str, group: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


def test_ages_dates_and_religions_of_the_first_review() -> None:
    text = "Imam 10 godina radnog iskustva. Revenue, 120 M\nEBITDA, 30 M\nNet: 12"
    assert spans(text, "age") == []
    assert spans("I'm a Jehovah’s Witness; my aunt is a Jehovah Witness.", "nrp") == [
        "Jehovah’s Witness",
        "Jehovah Witness",
    ]
    assert spans("Mon 1st Aug team offsite; Fri 3rd May we fly", "date") == ["Mon 1st Aug", "Fri 3rd May"]


def test_capitals_of_latin_extended_a_start_streets_and_names() -> None:
    text = "Mieszkam przy ul. Świętojańskiej 41/6. Podpisano: Łukasz Żak"
    assert spans(text, "address") == ["ul. Świętojańskiej 41/6"]
    assert "Łukasz Żak" in spans(text, "person")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HALVORSEN, Ingrid, F, 67. Admitted 02/12/2026 with chest pain. URGENT, Please call.", ["HALVORSEN, Ingrid"]),
        ("Name (as on passport): NGUYEN THI LAN ANH\nSex: F", ["NGUYEN THI LAN ANH"]),
        ("the IP was 203.0.113.77 when it dropped. – Siobhan", ["Siobhan"]),
        ("Markets closed lower. — Sterling", []),  # a listed given name that is an English word: no sign-off
        ("All welcome. – Hon. Felicity Garrow", ["Hon. Felicity Garrow"]),
        ("Great value – Highly Recommended", []),  # no sentence ends before the dash: no sign-off
        ("Bring wellies. Love, Anna & Marek", ["Anna & Marek"]),
        (
            "Ring Mr & Mrs Pettifer today. Statement of PC Ruth Okonkwo: Cst. Paul Ngata attended",
            ["Mr & Mrs Pettifer", "PC Ruth Okonkwo", "Cst. Paul Ngata"],
        ),
    ],
)
def test_names_of_records_sign_offs_and_couples(text: str, expected: list[str]) -> None:
    assert spans(text, "person") == expected


def test_the_given_name_list_holds_no_english_word() -> None:
    from core.path.name_list import given_names

    assert {"VIRPI", "GUÐRÚN", "MEHMET", "TUOMAS"} <= given_names()
    assert not {"HOPE", "GRACE", "FRANK", "YOUNG", "PRECIOUS", "MAY", "THE"} & given_names()


def test_an_organisation_is_not_borrowed_as_a_name() -> None:
    assert spans("I bank with Morgan Stanley Bank and Acme Corporation.", "person") == []


def test_nationalities_and_religions_are_nrp_not_names() -> None:
    text = "I am Kenyan. As an Atheist I object; he is a Lutheran."
    assert spans(text, "person") == []
    assert spans(text, "nrp") == ["Kenyan", "Atheist", "Lutheran"]


def test_a_lower_case_nationality_or_faith_a_writer_gives_as_their_own() -> None:
    assert spans("I am buddhist. i'm a practising catholic, honestly", "nrp") == ["buddhist", "catholic"]
    assert spans("I'm liberal with salt and I was green with envy", "nrp") == []
    # a people in the plural after "we are proud", a nationality before "but"
    assert spans("We are proud lithuanians. I am filipino but I live in Cyprus.", "nrp") == ["lithuanians", "filipino"]
    assert spans("I'm english by training; we are scottish national league winners", "nrp") == []


def test_a_religion_of_two_words_is_one_and_its_words_alone_are_none() -> None:
    text = "Witness statement: she is a Jehovah's Witness.\nWitness: Graham Pyke"
    assert spans(text, "nrp") == ["Jehovah's Witness"]


def test_adverbs_are_no_names() -> None:
    assert spans("a lethargically paced , deadeningly dull picture", "person") == []


def test_a_text_is_screened_once_however_many_names_it_holds() -> None:
    """Each NER span asked whether its text is cased, English or of another language: a text of thousands of spans
    took quadratic time (9 s for 24,000 characters). Now each text is worked out once."""
    from core.path.casing import is_cased
    from core.path.name_shape import reads_as_english
    from core.path.other_languages import written_in_another_language

    text = ", ".join(f"{name} Okafor" for name in ["Anna", "Maria", "Virpi", "Guðrún", "Mehmet", "Kagiso"] * 20)
    before = [f.cache_info().misses for f in (is_cased, reads_as_english, written_in_another_language)]
    assert len(spans(text, "person")) >= 20
    after = [f.cache_info().misses for f in (is_cased, reads_as_english, written_in_another_language)]
    assert all(a - b <= 1 for a, b in zip(after, before, strict=True))


def test_a_line_is_read_once_however_many_towns_it_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each town match re-read its whole line (headline? person's row?): a one-line ingredient list or CSV of 50,000
    characters took 13-17 s under load. Now each line is worked out once."""
    from core.path import places
    from core.path.ner import _find_listed_places

    calls: list[str] = []
    for name in ("is_headline", "_is_a_persons_row"):
        real = getattr(places, name)
        monkeypatch.setattr(places, name, lambda *args, _real=real, _name=name: calls.append(_name) or _real(*args))
    text = "Flour, Sugar, Leeds, 2 Lemons, in Bristol, " * 200 + "\nAnna Berg,41,Graz"
    assert "Graz" in [text[start:end] for start, end in _find_listed_places(text)]
    assert calls.count("is_headline") == 2 and calls.count("_is_a_persons_row") == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my name is john smith and i live at 12 oak street, springfield", ["12 oak street"]),
        (
            "my address is 88 smith ridge suite 211, south michaelton, nm 88011",
            ["88 smith ridge suite 211, south michaelton, nm 88011"],
        ),
        ("the parcel went to 55 maple drive, dayton, oh 45402", ["55 maple drive, dayton, oh 45402"]),
        ("send the invoice to mary at 44 elm avenue, boston, ma 02118", ["44 elm avenue, boston, ma 02118"]),
    ],
)
def test_streets_in_lower_case_after_a_residents_cue_or_with_town_state_and_zip(text: str, expected: list[str]) -> None:
    assert spans(text, "address") == expected


@pytest.mark.parametrize(
    "text",
    [
        "meet me at 3 pm street food market",
        "i live at 5 star hotel rooms",
        "we are at 10 downing street today",
        # a hostile review's: counts and things after "deliver to", "send ... to", "live at", a state code as a word
        "deliver to 1 pickup point",
        "send the backups to 1 external drive",
        "living at 2 bedroom flat in leeds, looking for a flatmate",
        "the band is live at 12 bar street tonight",
        "in the first book he lives at 4 privet drive; venue address: 55 castle court",
        "simulated 3 random walks in 10000 steps",
        "redeem 1 lounge pass or 20000 points",
        "finished the 18 hole course in 10800 seconds",
    ],
)
def test_lower_case_words_with_a_number_and_a_street_word_are_no_street(text: str) -> None:
    assert spans(text, "address") == []


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        (
            "Mr and Mrs Senanayake of Kurunegala request the pleasure of your company.",
            "person",
            ["Mr and Mrs Senanayake"],
        ),
        ("Celebration of life of Madam Akosua Agyeiwaa, of Konongo.", "person", ["Madam Akosua Agyeiwaa"]),
        ("yo ravi did u get the tickets for fri 21st", "date", ["fri 21st"]),
        ("Name: Yaw Darko\nResidence: Dansoman, Accra", "location", ["Dansoman", "Accra"]),
        (
            "Recipient: Sharmin Sultana, House 27, Road 11, Block C, Banani, Dhaka 1213.",
            "address",
            ["House 27, Road 11, Block C, Banani, Dhaka 1213"],
        ),
        (
            "Third party: Flat 12, Orchard House, 55 Queens Road, Reading RG1 4BA; no reg",
            "address",
            ["Flat 12, Orchard House, 55 Queens Road, Reading RG1 4BA"],
        ),
    ],
)
def test_forms_of_the_eleventh_blind_sets_dev_half(text: str, group: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Contract length (2 years) applies; our bond (10 years) matures soon.", "age"),
        ("Senior Engineer (8 years). my colleague Dana (12 years) handles payroll. Voice: male, 30s.", "age"),
        ("Hamilton sat 3rd in the standings, Sheffield Wed 2nd in the table", "date"),
        ("he said sat 2nd. Divorced tycoon set to wed 4th. Leclerc qualified on Sat 3rd.", "date"),
        ("The Flat 4, Tower Block is closed", "address"),
        ("Flat White, Coffee House is my favourite order", "address"),
        (
            "Residence: Permanent\nDistrict: Central\nPlace of residence: Same as above\n"
            "Residence: Rented\nDistrict: Metro",
            "location",
        ),
    ],
)
def test_durations_standings_specs_and_field_words_stay(text: str, group: str) -> None:
    assert spans(text, group) == []


def test_mr_and_before_a_title_only() -> None:
    assert spans("Filed the MR and Alice Wong approved it", "person") == ["Alice Wong"]
    assert "Dr and Kate Street" not in " ".join(spans("turn left at Elm Dr and Kate Street meets it", "person"))


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        # the street too, since its town and postcode follow it (the nineteenth round)
        ("hi, new address is flat 3, 27 mill lane, leeds ls6 2ab", "address", ["27 mill lane, leeds ls6 2ab"]),
        ("send to 14 high st, glasgow g12 8qq pls", "address", ["14 high st, glasgow g12 8qq"]),
        ("9 harbour view, cobh, co. cork p24 x2k7", "address", ["p24 x2k7"]),
        ("PLZ/Ort: 50668 Köln", "location", ["50668 Köln"]),
        ("Barclays head of corporate broking Kunal Gandhi has left", "person", ["Kunal Gandhi"]),
    ],
)
def test_what_a_users_trial_saw_leak(text: str, group: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


@pytest.mark.parametrize(
    ("text", "group", "kept"),
    [
        ("see you at 3pm, the m4 3am train, e3 2nd floor, a4 3pm slot, ps5 2nd hand", "address", []),
        ("Economist Slok sees no U.S. recession", "person", ["Slok"]),
        ("Tutor Perini and Briggs among losers", "person", ["Perini", "Briggs"]),
        ("MSC Confirms Soren Toft Will Become Chief Executive Officer", "person", ["Soren", "Toft"]),
    ],
)
def test_postcode_shapes_in_chat_and_words_before_a_surname_that_are_no_given_name(
    text: str, group: str, kept: list[str]
) -> None:
    assert spans(text, group) == kept


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("dani: wait ur 26??\nkai: lmao turning 27\ndani: no way", "person", ["dani", "kai", "dani"]),
        (
            "Please update my address to Keizersgracht 214-III, 1016 DZ Amsterdam.",
            "address",
            ["Keizersgracht 214-III, 1016 DZ Amsterdam"],
        ),
        ("I live at Sveavägen 44, 4 tr, S-113 50 STOCKHOLM.", "address", ["Sveavägen 44, 4 tr, S-113 50 STOCKHOLM"]),
        ("Anschrift: Mariahilfer Straße 88/2/14, A-1070 Wien", "address", ["Mariahilfer Straße 88/2/14, A-1070 Wien"]),
        (
            "Address: Rua de Santa Catarina 312, 2.º Esq., 4000-442 Porto",
            "address",
            ["Rua de Santa Catarina 312, 2.º Esq., 4000-442 Porto"],
        ),
        ("mieszkam w Gdańsku, kod pocztowy 80-827.", "address", ["80-827"]),
        ("De heer Van Damme is 73 jaar", "person", ["heer Van Damme"]),
        ("Re: Mr Kwabena Mensah, DOB 02.09.1958, 66\n48 Tewkesbury Road", "age", ["66"]),
        ("Customer: Rohan Pillai\nPAN: AKVPP4417K", "ssn", ["AKVPP4417K"]),
    ],
)
def test_forms_of_the_twelfth_blind_sets_dev_half(text: str, group: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("user: hi\nagent: hello\nuser: my order?", "person"),  # a support bot's roles
        ("Q: how?\nA: like this\nQ: why?", "person"),
        ("env: prod\nhost: db1\nenv: dev\nregion: eu", "person"),  # no given name among the words before colons
        ("shipped to Berlin 12/03/2024 ok", "address"),  # a date is no house number
        ("DOB: 1990-01-02, 12 items", "age"),
        ("PAN: 4111 1111 1111 1111. company PAN: AAACR5055K", "ssn"),  # a card's number, a company's PAN
        ("market cap 12345 and salary cap 50000", "address"),
    ],
)
def test_speakers_house_numbers_and_labels_that_are_none(text: str, group: str) -> None:
    assert spans(text, group) == []


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("macbook air m1 8gb, m25 2hr delay, milwaukee m18 5ah, hilux sr5 4wd, vitamin b12 5ug", "address"),
        ("bmw e46 330d touring, the x64 avx2 build", "address"),  # an Eircode's shape without its county
        ("min: 10.2\navg: 12.1\nmax: 40\nmin: 9", "person"),  # a list's values, not a chat
        ("Ruby: arr.each\nPython: for x in y\nRuby: done", "person"),  # capitalised items
        ("ROMEO: But soft\nJULIET: Ay me\nROMEO: She speaks", "person"),
        ("Format: PAN: XXXPX0000X (masked); Kod pocztowy 00-000 oznacza błąd", "ssn"),
        ("Kod pocztowy 00-000 oznacza błąd", "address"),
    ],
)
def test_what_the_twelfth_rounds_review_found(text: str, group: str) -> None:
    assert spans(text, group) == []


def test_a_flight_times_field_and_bread_are_no_address_line_and_no_title() -> None:
    assert "Hamburg 1215" not in spans("Dep: Frankfurt 0830\nArr: Hamburg 1215", "location")  # only "Ort:" counts
    assert "pane Toscano" not in spans("slices of pane Toscano", "person")  # bread, a window's pane: no title


def test_a_large_place_after_a_found_one_and_a_date_with_its_year_after_a_street_word() -> None:
    assert spans("Suspicious login\nLocation: Ibadan, Nigeria\nDevice: Chrome", "location") == ["Ibadan, Nigeria"]
    assert spans("Offices: Leeds, London, Paris", "location") == ["Leeds", "London", "Paris"]  # a list stays apart
    assert spans("Watergate 6/17/1972 and Gumpendorfer Straße 14/2/17, 1060 Wien", "address") == [
        "Gumpendorfer Straße 14/2/17, 1060 Wien"
    ]


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Viajamos con mis padres (68 y 71 años) desde Sevilla.", "age", ["68 y 71 años"]),
        ("Eravamo con i nonni (79 e 83 anni).", "age", ["79 e 83 anni"]),
        ("Our kids (they're 9) loved the pool.", "age", ["9"]),
        ("Ana and I (both 31, from Lisbon) booked it.", "age", ["31"]),
        ("Jmenuji se Petr Novák, je mi 42, bydlím v Ostravě.", "age", ["42"]),
        ("Maria Ionescu, 29 de ani, Cluj.", "age", ["29 de ani"]),
        ("Vi har en baby på 5 måneder.", "age", ["5 måneder"]),
        ("They are 5 minutes away. The rooms (all 12, with sea view) are booked. Je mi 3 minuty do konce.", "age", []),
        ("Garantía de 2 y 3 años para todos los productos.", "age", []),
        ("Die Rechnung vom 12.11. ist falsch; Termin am 3.4. oder Fr., 9.5.", "date", ["12.11.", "3.4.", "9.5."]),
        ("Der Kurs stieg bis 4.5. und fiel dann.", "date", []),
        ("Rappel le 14/02 ; cobro del 28/11. New address effective 9/1:", "date", ["14/02", "28/11", "9/1"]),
        ("Il a mangé le 1/2 du gâteau.", "date", []),
        ("Can you come on Tue 18/03? We are in.", "date", ["Tue 18/03"]),
        (
            "morta el 3 de gener de 2025; 5 martie 2024; 15. kesäkuuta 2019",
            "date",
            ["3 de gener de 2025", "5 martie 2024", "15. kesäkuuta 2019"],
        ),
        (
            "DATA: 3 STYCZNIA 2022. Tarehe 12 Machi 2025. Alates 1. detsembrist.",
            "date",
            ["3 STYCZNIA 2022", "12 Machi 2025", "1. detsembrist"],
        ),
        ("Atsisveikinimas kovo 18 d. Šiauliuose.", "date", ["kovo 18 d."]),
        ("Jan Kowalski, ur. 1984, Kraków. Anna Horák, nar. 1979.", "date", ["1984", "1979"]),
        ("She worked with us as a nurse from 2015 to 2021.", "date", ["2015 to 2021"]),
        (
            "Sie wohnt seit März 2019 hier; elle habite ici depuis mars 2021. The Mars 2020 rover.",
            "date",
            ["März 2019", "mars 2021"],
        ),
        ("ul. 3 Maja 12, Kraków", "date", []),
        (
            "I spoke to Grace yesterday. Please ask Will about it. Our manager, Hope, agreed; Summer said no.",
            "person",
            ["Grace", "Will", "Hope", "Summer"],
        ),
        (
            "By the Grace of God. Bill.com rose. Regulation Art. 6 applies. It was in my grandmother’s Will. "
            "Summer Sale Starts Friday With Deals For Everyone. Acting in good Faith. Ode to Joy, with Honey. "
            "Faith, Hope and Charity. Apache Storm 2.6. Auf diese Art und Weise.",
            "person",
            [],
        ),
        ("hey its dmitri from the gym, call me", "person", ["dmitri"]),
        ("Grüezi, ich ha es Problem. Buongiorno, vorrei disdire il contratto. Dankie, ek bel weer.", "location", []),
        ("Muraho, my wallet was debited twice.", "person", []),
        ("Thanks\nMary-Kate Olsen\nFlat 2", "person", ["Mary-Kate Olsen"]),
    ],
)
def test_what_heldout15s_dev_half_missed(text: str, group: str, expected: list[str]) -> None:
    """Forms the dev half of the fifteenth blind set showed (its test half was not read): ages before a unit in a
    list, dates of other languages, years of a person's life, names that are also words, greetings of other languages
    that are no place; and what each leaves alone."""
    assert spans(text, group) == expected


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        (
            "I've been a customer since 2007. I went to Zanzibar for our honeymoon in 2018.\nMember since 2011",
            "date",
            ["2007", "2018", "2011"],
        ),
        (
            "We opened 12 stores in 2019. Oil prices collapsed and have stayed low since 2015. Finland has been an EU "
            "member since 1995. I saw this film in 1999. The worst film since 1995.",
            "date",
            [],
        ),
        (
            "Find him at linkedin.com/in/aditya-rao-design or bit.ly/3xYz9; Https://linkedin.com/in/ana-ruiz-8821",
            "url",
            ["linkedin.com/in/aditya-rao-design", "bit.ly/3xYz9", "Https://linkedin.com/in/ana-ruiz-8821"],
        ),
        ("Shop at amazon.com; node.js/react, e.g./i.e., U.S./Canada, ml.to/the brim, ana@gmail.com/x.", "url", []),
        (
            "Card on file is 5412 7534 0091 2286. Kreditkarte 4929-1234-5678-9013; "
            "credit card details:\n5412753400912286",
            "card",
            ["5412 7534 0091 2286", "4929-1234-5678-9013", "5412753400912286"],
        ),
        (
            "Card 3 of 12 costs 1234567890123.50; order 5412 7534 0091 2286 shipped; "
            "Visa 24 105 29 310 32 653 (USD m); score card: 4 5 3 4 4 5 3 4 4 5 3 4 4",
            "card",
            [],
        ),
        (
            "il mio IBAN è IT40 S054 2811 1010 0000 0287 193, grazie. IBAN n° FR76 3000 6000 0112 3456 7890 188",
            "iban",
            ["IT40 S054 2811 1010 0000 0287 193", "FR76 3000 6000 0112 3456 7890 188"],
        ),
        ("Ref IT40 S054 2811 1010 0000 0287 193 is unknown. IBAN ES00 0000 0000 0000 0000 0001 as a dummy", "iban", []),
        (
            "Return address: P.O. Box KA 9311, Accra. Ship to RR 2, Antigonish NS B2G 2L1",
            "address",
            ["P.O. Box KA 9311, Accra", "RR 2, Antigonish NS B2G 2L1"],
        ),
        ("Vitals: HR 88, RR 18, Normal BP. IPL table: RR 2, Kolkata KR 4. PO BOX 3 OF 12.", "address", []),
        ("Ama Owusu-Ansah, born 1983, customer since 2007. Finland, member since 1995.", "date", ["1983", "2007"]),
        ("Prescription ready for collection: MRS J KOWALSKA", "person", ["MRS J KOWALSKA"]),
        ("Thanks,\nRaj Patel\nHousing Officer", "person", ["Raj Patel"]),  # a user's trial: left visible
        ("Regards,\nCustomer Service\nTeam Lead", "person", []),
    ],
)
def test_what_heldout16s_dev_half_missed(text: str, group: str, expected: list[str]) -> None:
    """Forms the dev half of the sixteenth blind set showed (its test half was not read): years of the writer's own
    life, links without their scheme, card numbers and IBANs after their name whose checksum fails, PO boxes with
    letters and rural routes, a title's initial without its dot; and what a hostile review aimed at each that they
    must leave alone."""
    assert spans(text, group) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Customer: Hi, it's Maria Lopez, my card was declined twice.", ["Maria Lopez"]),  # "Hi" was a name
        ("Customer: Sure it's fine\nAgent: ok", []),  # an answer and a role are no names
        ("Customer: Hope you can help\nCustomer: Grace\nIssue: refund", ["Grace"]),  # the sentence goes on after Hope
        ("Hi, it's Priya from flat 3, the boiler is broken again.", ["Priya"]),
        ("Hello, it's Tom here, the parcel never came.", ["Tom"]),
        ("It's Easter here and the shops are shut. I think it's Autumn here already.", []),
        ("It's Paris here, not Lyon. It's Monday from 9 to 5.", []),
        ("it's Aldi from next week. It's Sunny here all week. It's Spotify from now on.", []),
        ("It's Zoom from Monday, it's Ikea from 10am, It's Jet2 from Leeds. It's Stormy here, trains cancelled.", []),
        ("Natalia\nIvanova\n14 Kirov Street", ["Natalia\nIvanova"]),  # a name broken over two lines
        ("Regards,\nNgozi\nOkafor", ["Ngozi\nOkafor"]),
        ("Thanks,\nAnna\nAccounts", ["Anna"]),
        ("Thanks,\nEmma\nHR", ["Emma"]),  # an acronym is no surname
        ("Beers:\nStella\nArtois\nPeroni", ["Stella"]),  # a list's lines: a listed given name, no surname
        ("Stella\nArtois", ["Stella"]),  # two lines alone, no contact under them: a brand as often as a name
        ("Skills: Java, Python, SQL\nDocker. I know Java and Python.", []),  # the NER's "Java"
    ],
)
def test_introductions_skills_and_names_over_two_lines(text: str, expected: list[str]) -> None:
    assert spans(text, "person") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ship to: Jane Doe\n22 Baker Street\nLondon NW1 6XE\nThanks\nJane", ["22 Baker Street\nLondon NW1 6XE"]),
        ("5 Rue Cler, 75007 Paris\nMerci", ["5 Rue Cler, 75007 Paris"]),
        ("Hoofdstraat 5\n5683 AB Best\nNederland", ["Hoofdstraat 5\n5683 AB Best\nNederland"]),  # a town named Best
    ],
)
def test_an_address_ends_before_the_closing_words_under_it(text: str, expected: list[str]) -> None:
    assert spans(text, "address") == expected


def test_a_place_of_the_ner_ends_before_a_sign_off_line() -> None:
    text = "22 Baker Street\nLondon\nRegards\nTom"
    found = [(s.group, text[s.start : s.end]) for s in GROUPS.find(text, PII_GROUPS)]
    assert found == [("address", "22 Baker Street\nLondon"), ("person", "Tom")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Name as per Aadhaar: SUNITA DEVI, D/O RAM PRASAD, Vill. Rampur", ["SUNITA DEVI", "RAM PRASAD"]),
        ("Send it c/o Ewan Robertson, 4 High St", ["Ewan Robertson"]),
        ("C/O Finance Department. I/O Error on disk.", []),
        ("W/O Sugar please. C/O Balance: 3 days. S/O Chocolate Cake. Send it c/o The Manager.", []),
        ("Route via c/o Google Cloud Billing team. Change order C/O Revision 3 issued.", []),
        ("Agent (Priyanka): Thanks for waiting.\nCustomer: ok", ["Priyanka"]),
        ("Agent ( PRIYANKA ): hi\nCustomer: ok", ["PRIYANKA"]),
        ("Agent (Notes): see below\nAgent (Bot): hi\nCS (Shopify): ok\nCustomer: hi", []),
    ],
)
def test_kin_in_care_of_and_agents_in_brackets(text: str, expected: list[str]) -> None:
    assert spans(text, "person") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "the fly-tipping behind my house at 86 Grange Road, Sheffield S11 three times",
            ["86 Grange Road, Sheffield S11"],
        ),
        ("3 High Street, Leeds A4 size please", ["3 High Street"]),  # a paper size: no postcode area "A"
        ("Apt 7, 88 Harbour Street, Cobh P24 K2E5 today", ["Apt 7", "88 Harbour Street, Cobh", "P24 K2E5"]),
    ],
)
def test_a_uk_district_after_its_town_ends_a_street_address(text: str, expected: list[str]) -> None:
    assert spans(text, "address") == expected


def test_a_national_insurance_numbers_ni_is_no_place() -> None:
    text = "my NI number is QQ123456C, NI contributions paid; I moved to NI last year"
    found = GROUPS.find(text, ["location"])
    assert [(text[span.start : span.end], span.start) for span in found] == [("NI", text.index("NI last"))]
