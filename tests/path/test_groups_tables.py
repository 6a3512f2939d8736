"""Cells of tables and key=value pairs about people (`core.path.tables`): withheld as their column's group even where
the NER and the patterns miss them; tables of products, offices, schemas and prose left alone (cases from two hostile
reviews)."""

import pytest

from core.path import PII_GROUPS, GroupSet
from core.path.tables import table_cells

GROUPS = GroupSet()


def cells(text: str) -> list[tuple[str, str]]:
    return [(group, text[start:end]) for group, start, end in table_cells(text)]


def withheld(text: str) -> list[str]:
    return [text[s.start : s.end] for s in GROUPS.find(text, PII_GROUPS)]


def test_csv_cells_under_personal_columns() -> None:
    text = "id,first_name,last_name,email,city,dob\n1043,Chidi,Okafor,chidi@example.com,Enugu,1988-02-01"
    assert cells(text) == [
        ("person", "Chidi"),
        ("person", "Okafor"),
        ("location", "Enugu"),
        ("date", "1988-02-01"),
    ]
    assert {"Chidi", "Okafor", "Enugu", "chidi@example.com", "1988-02-01"} <= set(withheld(text))
    assert "1043" not in withheld(text)


def test_quoted_and_semicolon_cells_keep_their_commas_and_names_may_start_with_a_particle() -> None:
    quoted = 'full name,city,age\n"Okafor, Chidi",Enugu,41\nde Vries,Zwolle,37'
    assert cells(quoted) == [
        ("person", "Okafor, Chidi"),
        ("location", "Enugu"),
        ("age", "41"),
        ("person", "de Vries"),
        ("location", "Zwolle"),
        ("age", "37"),
    ]
    semicolons = "Vorname;Nachname;Geburtsdatum;PLZ;Ort\nJürgen;Baumgartner;14.02.1967;80331;München"
    assert cells(semicolons) == [
        ("person", "Jürgen"),
        ("person", "Baumgartner"),
        ("date", "14.02.1967"),
        ("address", "80331"),
        ("location", "München"),
    ]


def test_markdown_table_with_a_row_number_column_and_its_rule_line() -> None:
    text = (
        "| # | Full name | Age | Town |\n|---|---|---|---|\n| 1 | Ruth Abernethy | 71 | Stonehaven |\n"
        "| 2 | Callum Abernethy | 74 | Oban |"
    )
    assert cells(text) == [
        ("person", "Ruth Abernethy"),
        ("age", "71"),
        ("location", "Stonehaven"),
        ("person", "Callum Abernethy"),
        ("age", "74"),
        ("location", "Oban"),
    ]
    assert {"71", "74", "Stonehaven", "Oban"} <= set(withheld(text))


def test_a_table_ends_at_a_blank_line_or_a_row_whose_name_is_no_name() -> None:
    text = "full name\tage\tcity\nAsha Verma\t34\tPune\n\nThanks, the team will call them on Monday."
    assert cells(text) == [("person", "Asha Verma"), ("age", "34"), ("location", "Pune")]
    prose = "first_name,city\nAnna,Oslo\nCall me tomorrow, okay"
    assert cells(prose) == [("person", "Anna"), ("location", "Oslo")]
    summary = "full name,email,age\nAna Ruiz,ana@example.com,34\nAverage,,37"
    assert cells(summary) == [("person", "Ana Ruiz"), ("age", "34")]


def test_key_value_pairs() -> None:
    text = "first_name=priya; last_name=sharma; age=29; city=Pune; pincode=411001"
    assert cells(text) == [
        ("person", "priya"),
        ("person", "sharma"),
        ("age", "29"),
        ("location", "Pune"),
        ("address", "411001"),
    ]
    address = "full_name=Li Wei, email=li@example.com, address=Room 1203, 88 Nanjing Rd"
    assert cells(address) == [("person", "Li Wei"), ("address", "Room 1203, 88 Nanjing Rd")]


@pytest.mark.parametrize(
    "text",
    [
        "product,price,qty\nWidget,4.99,3\nGadget,12.50,1",  # no column of personal data
        "Name,Country,Price\nGouda,Netherlands,4.99\nManchego,Spain,6.50",  # a bare "name" is no person's
        "| Name | Email | Phone | Chat |\n|---|---|---|---|\n| Basic | yes | no | no |\n| Pro | yes | yes | no |",
        "| Name | Address | Description |\n|---|---|---|\n| CTRL | 0x00 | Control register |",
        "name,dob,city\nLaunch,2024-01-02,Houston",
        "name = CI Bot\nemail = ci@example.com",  # git config
        'def greet(name="World", age=0):',
        'User.objects.create(first_name="Test", last_name="User", age=30)',
        "first_name=First name\nlast_name=Last name\ncity=City",  # a translation file
        "column,type\nfirst_name,VARCHAR\nlast_name,VARCHAR",
        "first_name,last_name,email\nVARCHAR,VARCHAR,VARCHAR\nRequired,Required,Optional",
        "English,German,French\nFirst name,Vorname,Prénom\nSurname,Nachname,Nom\nCountry,Land,Pays",
        "Mandatory fields are first name, last name, town\nOptional fields are phone, website, notes",
        "ticket,state,age\n4471,Open,n/a\n4472,Pending,3 days",
        "city,high,low\nOslo,4,-2\nLagos,31,24",  # weather by city: no name column
        "The film, however, is long.\nThe cast, however, is fine.",
        "x = 3; y = 4",
    ],
)
def test_tables_and_pairs_not_about_people_are_left_alone(text: str) -> None:
    assert cells(text) == []


def test_an_age_column_takes_ages_only_and_a_postcode_column_codes_with_digits() -> None:
    text = "full name,age,zip\nAna Ruiz,unknown,none\nBo Lindqvist,134,ABCDEFGHIJKLMN"
    assert cells(text) == [("person", "Ana Ruiz"), ("person", "Bo Lindqvist")]


def test_only_wanted_groups_are_withheld() -> None:
    text = "first_name,age\nChidi,41"
    found = GROUPS.find(text, ["age"])
    assert [(s.group, text[s.start : s.end]) for s in found] == [("age", "41")]


def test_a_column_names_its_cells_before_the_ner_and_spans_across_cells_give_way() -> None:
    text = "first_name,last_name,city\r\nAda,Obi,Lagos\r\nMary,Jones,Leeds"
    found = [(s.group, text[s.start : s.end]) for s in GROUPS.find(text, PII_GROUPS)]
    assert found == [
        ("person", "Ada"),
        ("person", "Obi"),
        ("location", "Lagos"),
        ("person", "Mary"),
        ("person", "Jones"),
        ("location", "Leeds"),
    ]


def test_a_first_name_that_is_a_word_is_a_name_and_a_row_of_ordinary_words_is_skipped() -> None:
    text = "first_name,city\nWill,Leeds\nTest,Osaka\nCarla,Rome"
    assert cells(text) == [("person", "Will"), ("location", "Leeds"), ("person", "Carla"), ("location", "Rome")]
    types = "first_name,last_name,age,city\nString,String,Integer,String\nAda,Obi,41,Notes"
    assert cells(types) == [("person", "Ada"), ("person", "Obi"), ("age", "41")]


def test_an_ssn_column_takes_numbers_of_six_digits_or_more() -> None:
    text = "first_name,last_name,ssn\nAda,Obi,123-45-6789\nBo,Lindqvist,n/a"
    assert cells(text) == [
        ("person", "Ada"),
        ("person", "Obi"),
        ("ssn", "123-45-6789"),
        ("person", "Bo"),
        ("person", "Lindqvist"),
    ]


def test_a_bare_name_column_beside_a_date_of_birth_or_national_id_is_a_persons() -> None:
    assert cells("id,name,dob,city,phone\n1042,Oluwaseun Adebayo,1988-02-14,Ibadan,+234 805 661 2290") == [
        ("person", "Oluwaseun Adebayo"),
        ("date", "1988-02-14"),
        ("location", "Ibadan"),
    ]
    assert cells("name,ssn\nJohn Carter,078-05-1120") == [("person", "John Carter"), ("ssn", "078-05-1120")]
    # a bare "name" beside no column only people have: products, companies' tax numbers, sines, Polish "days"
    assert cells("name,price,category\nWidget,9.99,Tools") == []
    assert cells("name,taxid,country\nAcme Corp,12-3456789,US") == []
    assert cells("name,sin,cos,tan\nTheta,0.5,0.866,0.577") == []
    assert cells("name;dni;cena\nPakiet Standard;30;99") == []
    # animals have a date of birth too: a one-word name is no record of a person
    assert cells("name;dob;weight\nThunder;2015-04-01;520\nStorm;2016-07-12;480") == []
    assert cells("name=Rex breed=labrador dob=2019-04-02") == []


def test_a_bare_name_beside_a_surname_column_is_a_given_name_and_a_one_word_full_name_skips_its_row() -> None:
    assert cells("name,surname,dob\nMaria,Lopez,1990-01-02") == [
        ("person", "Maria"),
        ("person", "Lopez"),
        ("date", "1990-01-02"),
    ]
    # a mononym's row is skipped, not the end of the table
    assert cells("Name,DOB,NRIC\nSuharti,1970-01-01,S7012345A\nTan Wei Ming,1980-02-02,S8012345B") == [
        ("person", "Tan Wei Ming"),
        ("date", "1980-02-02"),
        ("ssn", "S8012345B"),
    ]


def test_space_separated_pairs_of_a_log() -> None:
    text = "user_id=77120 full_name=Rajesh Kumar Yadav dob=12/07/1975 city=Ibadan status=KYC_PENDING"
    assert cells(text) == [
        ("id_number", "77120"),
        ("person", "Rajesh Kumar Yadav"),
        ("date", "12/07/1975"),
        ("location", "Ibadan"),
    ]
    assert cells("level=info msg=started name=worker-3 region=eu-west") == []
    assert cells("k8s event: name=web frontend dob=2020-01-01") == []


def test_a_cardholder_a_billing_zip_and_croatian_fields() -> None:
    text = '{"order": 77120, "cardholder": "ANA M KOVAC", "exp": "09/27", "billing_zip": "94105"}'
    assert cells(text) == [("person", "ANA M KOVAC"), ("address", "94105")]
    croatian = '{"ime": "Ivana", "prezime": "Babić", "oib": "69435151530", "dob": 34}'
    assert ("person", "Babić") in cells(croatian) and ("ssn", "69435151530") in cells(croatian)


def test_a_persons_number_in_a_record_is_withheld_and_makes_the_record_a_persons() -> None:
    """A customer's, a user's or a staff member's number: in a log whose words run into the key too."""
    log = "WARN auth: failed login user_id=u_772901 username=fatima.alhashimi"
    assert cells(log) == [("id_number", "u_772901")]
    assert cells('{"customer_id": "C-44102", "city": "Bradford", "plan": "pro"}') == [
        ("id_number", "C-44102"),
        ("location", "Bradford"),
    ]
    table = "employee_id,name,merchant\nS-2207,Ifeoma Nwachukwu,Premier Inn\nS-3301,Tom Reid,Costa"
    assert cells(table) == [
        ("id_number", "S-2207"),
        ("person", "Ifeoma Nwachukwu"),
        ("id_number", "S-3301"),
        ("person", "Tom Reid"),
    ]
    assert cells('{"order_id": "A-4471", "session_id": "s_88123", "city": "Leeds"}') == []  # no person's number
    # a hostile review's: a service's account, a company's member number, a log's prose after the value
    assert cells("user_id=svc-backup-01 city=Leeds") == []
    assert cells("member_id,country,joined\nM1001,France,1958") == []
    assert cells("user_id=41898282 on ubuntu-22.04") == [("id_number", "41898282")]
