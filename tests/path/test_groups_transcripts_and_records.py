"""Personal data of calls' transcripts (numbers spoken digit by digit, spoken dates), of forms in capitals and of
records in JSON, XML and URL queries (issue 27's thirteenth round); and the words and numbers around them left alone."""

import pytest

from core.path import GroupSet
from core.path.spoken import spelled_uk_postcodes, spelled_words, spoken_phones, spoken_postcodes

GROUPS = GroupSet()


def spans(text: str, group: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, [group])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "please call back on five oh three two two one six six eight zero thanks",
            ["five oh three two two one six six eight zero"],
        ),
        ("ph oh seven seven oh oh nine double four one two six", ["oh seven seven oh oh nine double four one two six"]),
        ("my number is seven, seven, three, four, four, one, two", ["seven, seven, three, four, four, one, two"]),
        (
            "callback five five five zero one two three four five six",
            ["five five five zero one two three four five six"],
        ),
        (
            "hubungi saya di kosong satu sembilan tiga tiga lima dua lapan",
            ["kosong satu sembilan tiga tiga lima dua lapan"],
        ),
        ("namba yangu ni sifuri saba mbili nne tano sita saba nane", ["sifuri saba mbili nne tano sita saba nane"]),
    ],
)
def test_phone_numbers_spoken_digit_by_digit(text: str, expected: list[str]) -> None:
    assert spans(text, "phone") == expected


@pytest.mark.parametrize(
    "text",
    [
        "one two three four five six, here I come",  # six digit words: a count, no number
        "I have one or two questions and three or four ideas",
        "double double toil and trouble",
    ],
)
def test_counts_and_words_are_no_spoken_number(text: str) -> None:
    assert spans(text, "phone") == []


def test_a_run_does_not_join_words_of_two_languages() -> None:
    """Vietnamese "ba", "nam", "sau" are ordinary words; with English digits they make no seven-digit run."""
    assert spoken_phones("one two three ba nam sau bay") == []
    text = "goi cho chi so khong chin ba tam bay hai mot nam"
    assert [text[start:end] for start, end in spoken_phones(text)] == ["khong chin ba tam bay hai mot nam"]


def test_a_multiplier_counts_its_digit_twice_and_never_ends_a_run() -> None:
    def found(text: str) -> list[str]:
        return [text[start:end] for start, end in spoken_phones(text)]

    assert found("call four double five six seven eight") == []  # 4 5 5 6 7 8: six digits
    assert found("call four double five six seven eight nine") == ["four double five six seven eight nine"]
    assert found("call four five six seven eight nine double") == []  # six digits; "double" of nothing


@pytest.mark.parametrize(
    "text",
    [
        "five oh three two two one six six eight zero",  # no word says a number follows
        "my number is one two three four five six seven eight",  # a count
        "countdown: ten, nine, eight, seven, six, five, four, three, two, one",
        "phone: NULL, NULL, NULL, NULL, NULL, NULL, NULL",
        "call me oh-oh-oh-oh-oh-oh-oh",
    ],
)
def test_a_run_without_a_cue_a_count_or_one_word_repeated_is_no_phone(text: str) -> None:
    assert spans(text, "phone") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my zip is nine four one oh five i moved there", ["nine four one oh five"]),
        ("postcode, two zero zero zero", ["two zero zero zero"]),
    ],
)
def test_postcodes_spoken_after_their_word(text: str, expected: list[str]) -> None:
    assert spans(text, "address") == expected


def test_a_spoken_number_without_a_postcode_word_is_no_postcode() -> None:
    assert spoken_postcodes("i need nine four one oh five of them") == []
    assert spans("the score was one nil and two one", "address") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("regarding the report you filed on march fourth please call", ["march fourth"]),
        ("the accident was on the twenty third of august on the n1", ["the twenty third of august"]),
        ("Libero dal 1° ottobre.", ["1° ottobre"]),
        ("date of birth march fourth nineteen eighty two", ["march fourth nineteen eighty two"]),
        ("born on the twenty third of august nineteen seventy", ["the twenty third of august nineteen seventy"]),
    ],
)
def test_dates_as_transcripts_and_listings_write_them(text: str, expected: list[str]) -> None:
    assert spans(text, "date") == expected


@pytest.mark.parametrize(
    "text",
    ["We expect March fourth-quarter sales to rise.", "you may first need to log in", "May the Fourth be with you"],
)
def test_a_month_before_an_ordinal_word_that_is_no_date(text: str) -> None:
    assert spans(text, "date") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MS K L NGUYEN\nPO BOX 3310\nDARWIN NT 0801\nDATE OF ISSUE 22 AUG 2024", ["PO BOX 3310\nDARWIN NT 0801"]),
        (
            "NAME OF APPLICANT: HOLLOWAY, DENISE M\nPRESENT ADDRESS: 2718 CEDAR CREST LN\n"
            "CITY/STATE/ZIP: PLANO TX 75093",
            ["2718 CEDAR CREST LN", "PLANO TX 75093"],
        ),
        (
            "LAST NAME OKAFOR\nADDR 915 W. 7TH ST APT 2\nLOS ANGELES, CA 90017",
            ["915 W. 7TH ST APT 2\nLOS ANGELES, CA 90017"],
        ),
        (
            "REGISTERED KEEPER\nMISS S J PEMBERTON\nFLAT 3, 22 QUEENS PARADE\nSCARBOROUGH\nYO11 2EG",
            ["FLAT 3, 22 QUEENS PARADE\nSCARBOROUGH\nYO11 2EG"],
        ),
        ("RESIDENTIAL ADDRESS: 1123 MOLOTO STREET, ZONE 4, SOSHANGUVE", ["1123 MOLOTO STREET, ZONE 4, SOSHANGUVE"]),
    ],
)
def test_addresses_of_forms_in_capitals(text: str, expected: list[str]) -> None:
    assert spans(text, "address") == expected


@pytest.mark.parametrize(
    "text",
    [
        "5 INSURANCE STOCKS THAT SHOULD RISE\nNEW YORK TIMES",
        "WE SOLD 2 TB EXTERNAL HARD DRIVE UNITS LAST WEEK",
        "ADDRESS THE 3 MAIN ISSUES FIRST",
    ],
)
def test_capitals_that_are_no_street(text: str) -> None:
    assert spans(text, "address") == []


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ('{"full_name":"Angelica Mae Torres","city":"Pasig","mobile":"0917"}', "location", ["Pasig"]),
        ('{"patient": {"name": "Wei Zhang", "dob": "1995-08-08", "age": 29}}', "age", ["29"]),
        (
            '<Employee id="4471"><FullName>Nomvula Sithole</FullName><Suburb>Umhlanga</Suburb></Employee>',
            "location",
            ["Umhlanga"],
        ),
        ("fname=Ifeoma&lname=Nwachukwu&city=Enugu", "person", ["Ifeoma", "Nwachukwu"]),
        ("fname=Ifeoma&email=ifeoma.nwachukwu%40gmail.com", "email", ["ifeoma.nwachukwu%40gmail.com"]),
    ],
)
def test_records_in_json_xml_and_queries(text: str, group: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "Widget Pro", "price": 29, "age": 4, "sku": "WP-29"}',  # a product's record: no person's
        "<product><name>Nordic Oak Table</name><age>12</age><year>1969</year></product>",
    ],
)
def test_records_about_no_person_are_left_to_the_other_recognisers(text: str) -> None:
    assert spans(text, "person") == [] and spans(text, "age") == []


def test_a_number_alone_is_no_place() -> None:
    """The NER boxed an export's id cell "2279" as a place (the last user trial, `groups --all-columns`)."""
    assert spans("2279", "location") == []
    assert spans("Bought 2279 shares in Lagos", "location") == ["Lagos"]


# What a hostile review (296 texts) found the first version of these rules withheld: none holds a person's data.
@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("POPE TO ADDRESS 1 MILLION IN CENTRAL PARK", "address"),
        ("ADDR 12 JMP LOOP\nADDR 4096 BANK 2 ROW", "address"),
        ("3 PENNY LANE\nMAGICAL MYSTERY TOUR 1967", "address"),
        ("144 CT\nSKU 40012", "address"),
        ("PO BOX 3 OF 12", "address"),
        ("the Bluetooth pin code is zero zero zero zero", "address"),
        ('{"fname": "memcpy", "lname": "libc", "addr": "7f3a91c0", "age": 12}', "person"),
        ('{"fname": "memcpy", "lname": "libc", "addr": "7f3a91c0", "age": 12}', "age"),
        ('{"customerName": "Stark Industries", "city": "Malibu", "dob": "1970-05-29"}', "location"),
        ('{"name": "Frankel Star", "dob": "2008-02-11", "sire": "Galileo", "city": "Newmarket"}', "location"),
        ("we march first to the hall, then an august first edition", "date"),
        ("March Fourth Marching Band; June first-class tickets", "date"),
        ("24° giugno, caldo record", "date"),
        ("logo%402x.png and requests%402.31.0.tar.gz", "email"),
    ],
)
def test_what_the_hostile_review_found_is_left_alone(text: str, group: str) -> None:
    assert spans(text, group) == []


def test_a_street_in_capitals_of_an_australian_type_heads_its_town() -> None:
    assert spans("MR T NGATA\n5 BEACH PDE\nMANLY NSW 2095", "address") == ["5 BEACH PDE\nMANLY NSW 2095"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("and the postcode is b t 9 5 h l that's in belfast yeah", ["b t 9 5 h l"]),
        ("terrace edinburgh e h six four j x and my name's ewan", ["e h six four j x"]),
        ("newcastle n e 1 4 q r and the slot is saturday", ["n e 1 4 q r"]),
        ("my address is E H 6 4 J X please", ["E H 6 4 J X"]),
        ("meet me at 5 2 a m or so, press w 1 2 a m", []),  # no area "A"; "M" in the unit's letters never
        ("the address is x y 1 2 a b", []),  # "XY" is no UK postcode area
        ("Serial number is s n 4 4 r t", []),  # no postcode's word, address or town before it
        ("the address wifi password is b t one two three x y; zip it up, the serial is s n four four r t", []),
        ("my postcode is m 8 8 x x x", []),  # one letter too many: a code of another kind
    ],
)
def test_uk_postcodes_spelled_letter_by_letter(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in spelled_uk_postcodes(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("okay so it's mrs grant g r a n t first name faith", ["mrs grant", "g r a n t", "faith"]),
        ("and the surname is o'brien o apostrophe b r i e n", ["o'brien", "o apostrophe b r i e n"]),
        ("it's k a t e kate with a k", ["kate", "k a t e"]),
        ("Surname Nowak, N-O-W-A-K", ["Nowak", "N-O-W-A-K"]),
        ("the code is a b c d", []),  # spelled, but no word said beside it
        ("my name is Sam. Spell cat: c a t. Type in yes y e s", []),  # ordinary words spelled
        ("ibuprofen i b u p r o f e n", []),  # no name given before it
        ("it's an atm, a t m, outside the co-op", []),  # after "it's", a listed name only
    ],
)
def test_a_name_spelled_beside_the_name_said_is_withheld_with_it(text: str, expected: list[str]) -> None:
    assert sorted(span for span in spans(text, "person") if span != "Sam") == sorted(expected)


def test_a_spelled_word_is_paired_with_the_word_said() -> None:
    text = "spell cat: c a t, and k a t e kate"
    assert [(text[a:b], text[c:d]) for (a, b), (c, d) in spelled_words(text)] == [("cat", "c a t"), ("kate", "k a t e")]


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        (
            "and the email is will dot morgan eighty eight at gmail dot com and that's for the broadband",
            "email",
            ["will dot morgan eighty eight at gmail dot com"],
        ),
        ("my email is jsmith at yahoo dot co dot uk thanks", "email", ["jsmith at yahoo dot co dot uk"]),
        ("we met at google dot com headquarters. I'm at home dot com", "email", []),  # no user name read out
        ("on the card mister t okafor okay", "person", ["mister t okafor"]),
        ("can i speak to dr raj patel please", "person", ["dr raj patel"]),
        ("i use ms teams daily, the doctor said rest, dr who is on", "person", []),
        ("a message for doctor okonkwo please", "person", ["doctor okonkwo"]),
        ("a patient/doctor pic; doctor strange was fun", "person", []),  # after "doctor", a word English lacks
        ("we are on a first name basis, last name please", "person", []),
        ("outside my house on forty two mill lane and someone hit it", "address", ["forty two mill lane"]),
        (
            "the address it's flat two seventeen ashgrove terrace edinburgh",
            "address",
            ["flat two seventeen ashgrove terrace"],
        ),
        ("we moved to a two bedroom place in may", "address", []),
        ("we live on a two lane road near one main road; the address is the one way street", "address", []),
        ("turn left after forty two mill lane signs", "address", []),  # no word that says an address follows
        ("tickets are twenty quid at ticketmaster dot co dot uk; get 3 for 2 at boots dot com", "email", []),
        ("update your email preferences at bbc dot co dot uk", "email", []),  # no "the email is" before one word
        ("the email is kate at gmail dot com", "email", ["kate at gmail dot com"]),
        ("the doctor will see you now; your last name will appear; latency is about 200 ms avg", "person", []),
        ("first name dot last name at nhs dot net; the missus hols are booked", "person", []),
        ("we moved to a village ten minutes drive from leeds", "address", []),
        ("we live on forty two acres close to the lake; my address is thirty five square metres", "address", []),
        ("the mac address is a b one two d e; unzip it, the password is m e two one r t", "address", []),
    ],
)
def test_emails_titles_and_streets_read_out_in_a_transcript(text: str, group: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("my n i number is q q one two three four five six c i think", "ssn", ["q q one two three four five six c"]),
        ("and the pan is a b c p s one two three four k", "ssn", ["a b c p s one two three four k"]),
        ("my eircode is d zero two x k nine nine", "address", ["d zero two x k nine nine"]),
        ("customer id is c x seven seven one two", "id_number", ["c x seven seven one two"]),
        ("it's a b c one two three, the reference is a b", "id_number", []),  # no kind named; too short
        ("Booking reference is s 2 4 x p, for two nights", "id_number", []),  # a purchase's, not a person's
        ("my eircode is d zero two x k nine nine", "ssn", []),  # a code is of the kind named before it
    ],
)
def test_codes_read_out_after_the_name_of_their_kind(text: str, group: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


def test_a_run_of_number_words_after_an_address_cue_is_read_in_linear_time() -> None:
    """A 100,000-character "my address is one one one …" took 139 s when the street pattern scanned every run whole;
    it is read in a window after each cue now. Asserted by what is found, not by time: the run is no street."""
    text = "my address is " + "one " * 25_000 + "mill lane"
    assert spans(text, "address") == []


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        (
            "agent: the postcode please\ncustomer: yeah its b for bravo t for tango nine five h for hotel l for lima",
            "address",
            ["b for bravo t for tango nine five h for hotel l for lima"],
        ),
        (
            "my postcode is s w one a for alpha one a for alpha a for alpha",
            "address",
            ["s w one a for alpha one a for alpha a for alpha"],
        ),
        (
            "customer id is a as in apple b for bravo four four nine two",
            "id_number",
            ["a as in apple b for bravo four four nine two"],
        ),
        ("the postcode is a for effort b for boring, nine five", "address", []),  # no word that starts with its letter
        ("i for one think its s for sure", "address", []),
    ],
)
def test_letters_given_with_a_word_that_starts_with_them(text: str, group: str, expected: list[str]) -> None:
    """A caller spells what may be misheard with words ("b for bravo"): the letter is read, its word withheld too."""
    assert spans(text, group) == expected


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("agent: whats your customer number\ncustomer: its four four a b c two", "id_number", ["four four a b c two"]),
        (
            "agent: and your national insurance number please\ncaller: uh yeah its q q one two three four five six c",
            "ssn",
            ["q q one two three four five six c"],
        ),
        ("agent: what's the eircode\ncustomer: d six w x y one two", "address", ["d six w x y one two"]),
        ("agent: whats the error code\ncustomer: its e r r four four two one", "id_number", []),  # no kind of ours
        # the code must open the answer: here the customer says something else first
        ("agent: the postcode?\ncustomer: i moved, the old one was e r r four four two one", "address", []),
        (
            "agent: and your date of birth\ncustomer: twelfth of march nineteen eighty four",
            "date",
            ["twelfth of march nineteen eighty four"],
        ),
    ],
)
def test_a_transcripts_answer_to_the_question_above_it(text: str, group: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("twenty first of june two thousand and one", ["twenty first of june two thousand and one"]),
        ("second of march at 3pm works", ["3pm"]),  # no year, no word of birth or time before it
        ("his dob is first of march", ["first of march"]),
        ("a third of March rainfall; First of May demonstrations", []),  # a fraction, a holiday
        ("born on the 9th of the 12th, 1990", ["the 9th of the 12th, 1990"]),  # both as ordinals, with its year
        ("the 1st of the 12th floor", []),
        ("a fifth of may be lost in transit", []),  # "may" the verb
        ("Fifth of May 1990", ["Fifth of May 1990"]),
        ("happy fourth of july everyone", []),  # a holiday
        ("first of all, thank you", []),
    ],
)
def test_an_ordinal_word_of_a_month_without_the(text: str, expected: list[str]) -> None:
    assert spans(text, "date") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Customer: my order 1188273 hasnt arrived", []),
        ("order number 1188273 still missing; ticket 55512345", []),
        ("Invoice #44829102 attached, call me on 07700 900123", ["07700 900123"]),
        ("to order call 0800 123 4567", ["0800 123 4567"]),
    ],
)
def test_the_number_of_an_order_an_invoice_or_a_ticket_is_no_phone(text: str, expected: list[str]) -> None:
    assert spans(text, "phone") == expected


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("Tarih: 10 Mart 2026 Salı 15:42", "date", ["10 Mart 2026", "15:42"]),
        ("Walmart 7 Mart 2024 promo", "date", []),  # Turkish March only with a weekday's or time's word
        (
            "IBAN pour l'indemnisation : FR76 3000 4028 3700 0104 4718 293.",
            "iban",
            ["FR76 3000 4028 3700 0104 4718 293"],
        ),
        ("refund raised, told 3-5 working days. - Siobhan", "person", ["Siobhan"]),
        ("Pity about the queue though. — Ingrid M.", "person", ["Ingrid M."]),
        ("Bästa kvällen på länge med er i Uppsala ❤️ /Siobhan", "person", ["Siobhan"]),
        ("Markets closed. — Sterling", "person", []),  # a word English knows
        ("Open the /Users folder", "person", []),
        ("It costs 5 GBP /Month", "person", []),
        ("Other driver: Hyun-woo Park, (213) 447-9018", "person", ["Hyun-woo Park"]),
        ("Witness: Siobhan\nInsured: Patrick Flynn", "person", ["Siobhan", "Patrick Flynn"]),
        ("Passenger: Economy Plus\nDriver: Yes\nCaller: Unknown Number", "person", []),
        (
            "Passenger: MR JOHN SMITHERS\nGate: B12",
            "person",
            ["MR JOHN SMITHERS"],
        ),  # a title in the field keeps its name
        ("Save the date! Aditi weds Karan in Udaipur", "person", ["Aditi", "Karan"]),
        ("Tech weds Finance in new merger", "person", []),
        ("Religion: Islam", "nrp", ["Islam"]),
        ("Nationality: Dropdown\nReligion: Optional", "nrp", []),  # a form's spec
        ("mi Tía Carmen viene mañana", "person", ["Carmen"]),
        ("Haruto-kun, ashita no mensetsu wa desu yo.", "person", ["Haruto-kun"]),  # a Japanese honorific
        ("NAZWISKO:  NOWAK-WIŚNIEWSKA\nIMIĘ:  MAGDALENA", "person", ["NOWAK-WIŚNIEWSKA", "MAGDALENA"]),
        ("yeah its 27 wellington road, stockport, sk4 1ld", "address", ["27 wellington road, stockport, sk4 1ld"]),
        ("88 castle street, cardiff cf10 1bs", "address", ["88 castle street, cardiff cf10 1bs"]),
        ("we need 2 access points, a4 3pm is fine", "address", []),
    ],
)
def test_this_rounds_dates_ibans_and_sign_offs(text: str, group: str, expected: list[str]) -> None:
    assert spans(text, group) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my surname is holloway h o l l o w a y", ["holloway", "h o l l o w a y"]),
        (
            "my surname is holloway h for hotel o for oscar l for lima l for lima o for oscar w for whiskey "
            "a for alpha y for yankee",
            [
                "holloway",
                "h for hotel o for oscar l for lima l for lima o for oscar w for whiskey a for alpha y for yankee",
            ],
        ),
        ("my name is Sam. Spell cat: c a t.", ["Sam"]),  # the clause that gives the name ended before the spelling
        ("the surname is stored in upper case, u p p e r", []),  # no person's name
    ],
)
def test_a_word_spelled_after_my_name_is_is_a_name_whatever_english_says(text: str, expected: list[str]) -> None:
    assert spans(text, "person") == expected


def test_weddings_and_roles_of_things_are_no_cue_of_a_person() -> None:
    """The cue alone (the NER may still box "Chelsea" or "Santander" as it did before these rules)."""
    from core.path.ner import find_person_cues

    for text in ("Chelsea weds Fulham; Ruby weds Rails", "Caller: Santander UK\nWitness: Harrods Security"):
        assert find_person_cues(text) == []
