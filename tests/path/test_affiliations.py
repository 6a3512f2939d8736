"""The `affiliation` group (issue 27): organisations a text ties to a person are withheld under `pii`; organisations
named by nobody's tie, headlines and lower-case text keep theirs."""

import pytest

from core.path import PII_GROUPS, GroupSet
from core.path.affiliations import find_affiliations, is_affiliated, on_its_line

GROUPS = GroupSet()


def affiliations(text: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, ["affiliation"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My husband is 38 and works for Wipro in Pune.", ["Wipro"]),
        ("I am 29, currently at Tesco in Motherwell.", ["Tesco"]),
        ("Chiara Esposito worked as an RN at St Vincent's Hospital in Melbourne.", ["St Vincent's Hospital"]),
        ("I hold an MSc from IIT Madras and have 3 years at Infosys, Pune.", ["IIT Madras", "Infosys"]),
        ("He was previously at Flipkart and Swiggy. Since May he works for Wipro.", ["Flipkart and Swiggy", "Wipro"]),
        ("I currently work for the Department for Work and Pensions.", ["the Department for Work and Pensions"]),
        ("I work for the Home Office; I'm a nurse at Rush.", ["the Home Office", "Rush"]),
        ("Regards,\nSneha Kulkarni\nHR Executive, Infosys, Pune", ["Infosys"]),
        ("John Smith\nSenior Software Engineer\nMonzo Bank\njohn@monzo.com", ["Monzo Bank"]),
        ("Employer: Boeing\nEthnicity: Korean", ["Boeing"]),
        ("Hey Dan, it's Marissa from Clearwater Dental – just a reminder", ["Clearwater Dental"]),
        ("He starts at St Brigid's National School on Monday.", ["St Brigid's National School"]),
        ("I teach at Harvest Academy; my daughter interns at Goldman Sachs.", ["Harvest Academy", "Goldman Sachs"]),
        ("We spoke with Maria Lopez of Acme Holdings Inc. yesterday.", ["Acme Holdings Inc."]),
        ("Thanks,\nSarah Thompson\nAcme Holdings Ltd\n555-201-3344", ["Acme Holdings Ltd"]),
        ("Thanks,\n    Jane Smith\n    Head of Partnerships\n    Acme Widget Company\n", ["Acme Widget Company"]),
        ("Maria Lopez\nAcme Holdings Ltd\n12 Main St\nSpringfield, IL 62704", ["Acme Holdings Ltd"]),
        ("Beste Grüße\nStefan Krüger\nNordlicht Energie GmbH", ["Nordlicht Energie GmbH"]),
        ("my father has a specialist appointment at Tan Tock Seng Hospital on 4 Nov.", ["Tan Tock Seng Hospital"]),
        (
            "Happy to discuss – Gemma Pryce, Operations Manager, Caerphilly Freight Ltd, 029 2086 4412.",
            ["Caerphilly Freight Ltd"],
        ),
        (
            "Dr. Olu Brooks\nAssistant Professor of Economics\nUniversity of Vermont\n94 University Place",
            ["University of Vermont"],
        ),
        (
            "We're Sione (nurse at Auckland City Hospital), Ollie (PhD at University of Auckland) and a cat.",
            ["Auckland City Hospital", "University of Auckland"],
        ),
        ("me (Priyanka, 27, works at Mount Sinai) and Diego", ["Mount Sinai"]),
        ("I've known her for four years as her line manager at Flutterwave in Lagos", ["Flutterwave"]),
        # a name English has no word for, not only a listed given name, before "of" and a company
        ("Yukiyo Hakugi of AutoZone Inc. is the CEO of the year.", ["AutoZone Inc."]),
        (
            "Awards went to Daimler AG's Laura Knutsen and Pure Storage Inc.'s Ms. Ana Ruiz.",
            ["Daimler AG", "Pure Storage Inc"],
        ),
        (
            "including Pernille Nielsen of TENMAYA STORE CO.LTD. and Diageo plc's Gyala Antall",
            ["TENMAYA STORE CO.LTD", "Diageo plc"],
        ),
        (
            "the winners were Dylan Szász of Fang Holdings Limited's and Vilmer Holmberg of First Trust Cloud ETF",
            ["Fang Holdings Limited's", "First Trust Cloud ETF"],
        ),
        ("> Mara Ćosić\n> Sanwaria Consumer Ltd\n> 8026 19 boulevard Bryas\n> Apt. 604", ["Sanwaria Consumer Ltd"]),
        ("Benjamin A. Iversen\nFiverr International Ltd.\n22237 84 Cassinia Street", ["Fiverr International Ltd."]),
        # a role's line between a signature's name and its organisation, or none where the organisation is on it
        (
            "Warm regards,\nPriya Raghunathan\nManager – Vendor Relations\nSrinivasa Textiles Pvt. Ltd.\nNo. 42",
            ["Srinivasa Textiles Pvt. Ltd."],
        ),
        ("Kind regards,\nGrace Achieng\nRift Valley Surveys Ltd\nP.O. Box 1187-20100", ["Rift Valley Surveys Ltd"]),
        ("Done.\n\nJan Dvořák\nLead Developer\nKodemat s.r.o.\nNa Příkopě 22\n110 00 Praha 1", ["Kodemat s.r.o."]),
        ("Speakers so far: Prof. Margit Halvorsen (University of Bergen) and Lucía", ["University of Bergen"]),
        ("Julian Schröder, derzeit tätig bei Phoenix Contact in Blomberg.", ["Phoenix Contact"]),
        ("Name of employer: Kumasi Textiles Ltd\nPosition held: weaver", ["Kumasi Textiles Ltd"]),
        ("The debate featured Beatriz Nogueira, a director at Natura, and others.", ["Natura"]),
    ],
)
def test_an_organisation_tied_to_a_person_is_withheld(text: str, expected: list[str]) -> None:
    assert affiliations(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Does anyone know if Deloitte or KPMG are still doing grad schemes?",
        "Help! My card isn't working at the ATM and I know I used the right PIN.",
        "Awards for Exemplar Work with Students Across the US",
        "Signs New $7.0 Million System Supply Contract with the Renewable Natural Gas Company",
        "Norway considers attending OPEC+ meeting on April 9",
        "says on working with Hallmark and holiday films",
        "Tech Retakes Leadership Role With Chips And Cloud Names Moving Higher",
        "The show starts at Madison Square Garden.",
        "the film works for anyone who loves disney , and works at every level",
        "The product works at Walmart and Target stores nationwide.",
        "INVOICE\nCompany: Northwind Traders Ltd\nInvoice No: 4471",
        "Position at Amazon: Senior Software Engineer, Seattle. Apply now.",
        "Best,\nSam\nDirector, Finance and Operations",
        "Now at Sainsbury's: two for £5 on all pizzas. The lift is currently at Floor 4.",
        "Employer: The Employer Must Provide A Written Statement",
        "I'm Sorry from Brenda Lee topped the charts.",
        "Analysts at Barclays expect a cut. Google Pay works at Boots. Formerly at Kings Cross, the market moved.",
        "Regards,\nKate\nDirector, Corporate Communications",
        "Cheers,\nAna\nTeam Lead, Customer Success",
        "University: A Guide For Parents",
        "I work at Weekends and Bank Holidays.",
        "Hi, I'm Anna Novak from Brno.",
        "Thanks,\nSenior Software Engineer\nRavi Shankar",
        "Catherine of Aragon was queen; Maria Lopez, Madrid.",
        "Best,\nMaria Lopez\nHead of Sales",
        "Paige Thomas Appointed President of Saks OFF 5TH",
        "Top holdings:\nMorgan Stanley\nGoldman Sachs Group\nBerkshire Hathaway Inc",
        "Banks including Morgan Stanley, Goldman Sachs Group Inc and JPMorgan Chase & Co fell 3%.",
        "According to Maria Lopez, Goldman Sachs Group will cut 3,000 jobs.",
        "The hospital has an appointment at Tan Tock Seng Hospital system.",
        "He said a patient at Royal Free Hospital had tested positive. They admitted to Barclays Health Insurance "
        "that they overcharged.",
        "Proudly sponsored by,\nMorgan Stanley\nGoldman Sachs Group",
        "Our sponsors this year:\nMorgan Stanley\nGoldman Sachs Group\n12 sponsors in total",
        "Winners,\nSophie Ryder Studio\nHenley Arts Trust\n1st prize",
        "My article covers why patients registered with Babylon Health struggled to get GP slots.",
        "Visit us\nLucy Cavendish College\nUniversity of Cambridge\n1 Lady Margaret Road",
        "Adam Smith of the Wealth of Nations fame; Harley Davidson of Milwaukee is a brand.",
        "My grandfather's painting hung for twenty years at the National Gallery.",
        "The report, Sales Manager, Northwind Traders Ltd says",
        "Apple (analysts at Morgan Stanley expect growth); our analysts at Barclays expect a cut.",
        "Data Analyst (analyst at Barclays) role; Apple Pay (works at Tesco); the council said their engineer at X Ltd",
        "‘Chill Is Real,’ Trudeau Envoy to China Says of Huawei Feud",
        "Shares of Acme Holdings Inc rose as Barclays Bank's Chief Economist spoke.",
        "The Annual Report of Acme Holdings Ltd is out. Revenue Growth from Acme Holdings Ltd slowed.",
        "Microsoft Corp's Windows Vista launched.",
        "Thanks,\nMaria Lopez\nToday we shipped 5 units.\nAcme Holdings Ltd",
    ],
)
def test_organisations_nobody_is_tied_to_stay(text: str) -> None:
    assert affiliations(text) == []


def test_one_word_english_knows_needs_the_ners_organisation() -> None:
    """The finder alone leaves a known word to the NER: "at Harvest" is a place of work only if the NER says so."""
    assert find_affiliations("I work at Harvest most days.", known=lambda word: True) == []
    assert find_affiliations("I work at Harvest most days.", known=lambda word: False) == [(10, 17)]
    assert find_affiliations("My card isn't working at the ATM.", known=lambda word: False) == []
    assert is_affiliated("She works for Wipro.", 14) and not is_affiliated("She likes Wipro.", 10)


def test_affiliation_is_personal_data_and_organization_stays_opt_in() -> None:
    assert "affiliation" in PII_GROUPS and "organization" not in PII_GROUPS


def test_an_employer_that_looks_like_a_name_is_counted_as_an_affiliation() -> None:
    """The employer "Wipro" has a name's shape too (an unknown word the NER calls an organisation): the count said
    `person`."""
    text = "I work for Wipro"
    assert [(s.group, text[s.start : s.end]) for s in GROUPS.find(text, PII_GROUPS)] == [("affiliation", "Wipro")]


def test_the_ners_organisation_ends_at_its_line_or_a_link() -> None:
    text = "says Jeffrey Rosenberg of Bla… https://t.co/hDyPx6PZca\nnext"
    start = text.index("Bla")
    assert on_its_line(text, start, len(text)) == (start, text.index(" https"))
    assert on_its_line("Employer: Boeing\nEthnicity: Korean", 10, 34) == (10, 16)


def test_an_organisation_is_ten_words_at_most() -> None:
    """A run of capitals as long as the text was read from every cue to its end: quadratic time on long lines."""
    text = "I work for " + "Acme " * 30 + "Ltd."
    assert [len(text[start:end].split()) for start, end in find_affiliations(text)] == [10]
