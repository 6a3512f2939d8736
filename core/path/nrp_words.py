"""Nationalities, religious and political groups by name, for what spaCy's NORP misses ("Atheist", "Kenyan" after
"I am", which reads as a self-introduction), and to keep such words out of person names."""

from __future__ import annotations

import re

_NATIONALITIES = """
Afghan Albanian Algerian American Andorran Angolan Argentine Argentinian Armenian Australian Austrian Azerbaijani
Bahamian Bahraini Bangladeshi Barbadian Belarusian Belgian Belizean Beninese Bhutanese Bolivian Bosnian Botswanan
Brazilian British Bruneian Bulgarian Burkinabe Burmese Burundian Cambodian Cameroonian Canadian Chadian Chilean
Chinese Colombian Congolese Croatian Cuban Cypriot Czech Danish Djiboutian Dominican Dutch Ecuadorian Egyptian
Emirati English Eritrean Estonian Ethiopian Fijian Filipino Finnish French Gabonese Gambian Georgian German Ghanaian
Greek Grenadian Guatemalan Guinean Guyanese Haitian Honduran Hungarian Icelandic Indian Indonesian Iranian Iraqi
Irish Israeli Italian Ivorian Jamaican Japanese Jordanian Kazakh Kenyan Korean Kosovar Kuwaiti Kyrgyz Lao Latvian
Lebanese Liberian Libyan Lithuanian Luxembourgish Macedonian Malagasy Malawian Malaysian Maldivian Malian Maltese
Mauritanian Mauritian Mexican Moldovan Mongolian Montenegrin Moroccan Mozambican Namibian Nepalese Nepali
Nicaraguan Nigerian Nigerien Norwegian Omani Pakistani Palestinian Panamanian Paraguayan Peruvian Polish Portuguese
Qatari Romanian Russian Rwandan Salvadoran Samoan Saudi Scottish Senegalese Serbian Singaporean Slovak Slovenian
Somali Spanish Sudanese Surinamese Swazi Swedish Swiss Syrian Taiwanese Tajik Tanzanian Thai Togolese Tongan
Trinidadian Tunisian Turkish Turkmen Ugandan Ukrainian Uruguayan Uzbek Venezuelan Vietnamese Welsh Yemeni Zambian
Zimbabwean Swede Swedes Finn Finns Dane Danes Scot Scots Brit Brits Briton Britons Aussie Aussies Seychellois
Latino Latina Latinx Hispanic Arab Arabs Kurdish Kurd Kurds Romani Sami Maori Māori Aboriginal Inuit
"""
_RELIGIONS_AND_POLITICS = """
Christian Christians Catholic Catholics Protestant Protestants Orthodox Anglican Anglicans Lutheran Lutherans
Methodist Methodists Baptist Baptists Presbyterian Presbyterians Evangelical Evangelicals Pentecostal Mormon
Mormons Quaker Quakers Adventist Muslim Muslims Moslem Islamic Sunni Shia Shiite Ismaili Sufi
Jewish Jew Jews Hindu Hindus Sikh Sikhs Buddhist Buddhists Jain Jains Bahá'í Baha'i Taoist Shinto Zoroastrian
Rastafarian Pagan Pagans Wiccan Atheist Atheists Agnostic Agnostics Humanist Humanists
Democrat Democrats Republican Republicans Conservative Conservatives Tory Tories Labour Liberal Liberals
Socialist Socialists Communist Communists Libertarian Libertarians Marxist Marxists
"""
# Capitalised or in capitals only: in lower case most are ordinary adjectives of a film review ("an american
# film", "english subtitles"), which are nobody's personal data.
# Names of more than one word, whose words alone are none ("Witness statement:", "Witness: Graham Pyke").
_PHRASES = tuple(f"Jehovah{mark} Witness{plural}" for mark in ("'s", "’s", "") for plural in ("", "es"))
NRP_WORDS = frozenset((_NATIONALITIES + _RELIGIONS_AND_POLITICS).split()) | frozenset(_PHRASES)
# A people in the plural, as writers say it of themselves: "we are proud lithuanians", "yemenis" (of the nationalities
# that take an "s"; written with a capital, the NER's NORP reads them).
_PEOPLES = frozenset(f"{word}s" for word in _NATIONALITIES.split() if word.endswith(("an", "i")))
_ALTERNATIVES = "|".join(re.escape(word) for word in sorted(NRP_WORDS, key=lambda w: (-len(w), w)))
# In lower case only where a person says it of themselves and the clause ends: "i am buddhist", "I'm a practising
# catholic,", "We are proud lithuanians", "I am filipino but I live in …" (not "I'm english by training", "we are
# scottish national league winners"); never the words that are as often a manner or a trade ("I'm conservative, so call
# it 3 days", "I'm agnostic, Python or Go", "We are polish and wax specialists").
_SELF = (
    r"\b(?i:i am|i'm|im|i was|i became|we are|we're)[ \t]+(?:(?i:a|an)[ \t]+)?"
    r"(?:(?i:practising|practicing|devout|proud)[ \t]+)?"
)
_CLAUSE_ENDS = r"(?=[ \t]*(?:[,.;:!?)\n]|$)| but\b)"
_MANNERS_TEXT = "conservative conservatives liberal liberals orthodox agnostic agnostics humanist polish pagan"
_MANNERS = frozenset(_MANNERS_TEXT.split())
_SELF_ALTERNATIVES = "|".join(
    re.escape(word.lower())
    for word in sorted(NRP_WORDS | _PEOPLES, key=lambda w: (-len(w), w))
    if word.lower() not in _MANNERS
)
# A form's field of nationality or religion: its value, a listed word or one with a nationality's ending, and a
# second word, that end the field ("Religion: Islam", "NATIONALITÉ : MAROCAINE", "Nacionalidad: Colombiana"; not
# "Nationality: Please select", "Religion: None", a form's spec: "Nationality: Dropdown", "Religion: Optional").
_FAITHS = (
    r"islam|christianity|judaism|hinduism|buddhism|sikhism|jainism|shinto|taoism|zoroastrianism|catholicism|"
    r"protestantism|orthodoxy|atheism|agnosticism|bahá'í|baha'i"
)
_NATIONALITY_ENDING = r"(?:ian|ean|an|ese|ish|aine|ain|ois|oise|ais|aise|ana|ano|ena|eno|ense|ica|ico|ija|ka|ec|i)"
_FIELD = (
    r"(?:(?m:^)|(?<=  )|(?<=\| ))[ \t]*(?i:nationality|citizenship|nationalité|nacionalidad|nazionalità|nationalität|"
    r"staatsangehörigkeit|nacionalidade|nationaliteit|religion|religión|religião|religione|religia|faith)[ \t]*:[ \t]*"
    rf"(?P<field>(?:{_ALTERNATIVES}|{_ALTERNATIVES.upper()}|(?i:{_FAITHS}|[^\W\d_]+{_NATIONALITY_ENDING}))"
    r"(?: [^\W\d_](?:[^\W\d_]|['’-])+)?)(?=[ \t]*(?:$|\n|[,;|]| {2}))"
)
NRP = re.compile(
    rf"(?<![\w'-])(?:{_ALTERNATIVES}|{_ALTERNATIVES.upper()})(?![\w'-])"
    rf"|{_SELF}(?P<self>{_SELF_ALTERNATIVES}){_CLAUSE_ENDS}|{_FIELD}"
)
