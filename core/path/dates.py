"""The `date` group: calendar dates, weekdays and clock times in the forms people write them.

Numeric and ISO dates (a form's "DOB: 29 / 02 / 1992", a day and month with dots after a word that dates them:
"arrives 14.02.", "Geburtstag: 14.02."), "March 3rd, 1987", "3rd of May 2001", "the 21st of may", "March 2019",
"Wednesday 3 July", "Sunday the 5th", Hungarian "1968. április 9.", a weekday of another language with its time
("Mittwoch um 9:30 Uhr"), clock times ("10:30", "3pm"; not a chat log's stamp in square brackets, "[10:42]"), and forms
that are dates only in context: a bare year after "born"/"DOB" ("born in 1984"), a day alone after a preposition
("on the 17th"), a day and month after one ("on 8/14").
A year also counts after "b." or in a life event ("moved to Ljubljana in 2003", "my dad was born in Tromsø in
1952"), and a short year after "born" ("born in '85"). A bare year elsewhere ("released in 1999") is no date of
anybody's: it is left alone.
Where a context word is needed but is no part of the date, the date is the named group that matched (`value_*`).
"""

from __future__ import annotations

import re

from core.path.casing import CAPITALS

# Month names: capitalised or not ("march 3" in chat), except "may", which is a date only as "May".
_MONTH = (
    r"(?:(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|May|MAY)\.?"
)
_CAPITALISED_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|"
    r"Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)"
)
_GENITIVE_MONTHS = (
    "januari|februari|mars|maj|augusti|marts|desember|stycznia|lutego|kwietnia|maja|czerwca|lipca|sierpnia|września|"
    "października|listopada|grudnia|ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|"
    "prosince|siječnja|veljače|ožujka|travnja|svibnja|lipnja|srpnja|kolovoza|rujna|studenoga|prosinca"
)
# Months of German, French, Spanish, Italian, Portuguese and Dutch, written after the day as those languages do
# ("3. Juni 1965", "17 mars 1974", "4 de agosto de 1979", "9 giugno 1988"): a date only with the day before them.
_FOREIGN_MONTH = (
    r"(?:(?i:januar|jänner|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|fevrier|mars|avril|juin|"
    r"juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|"
    r"agosto|septiembre|setiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|"
    r"settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro|januari|"
    r"februari|maart|mei|augustus|oktober|december|january|february|march|april|june|july|august|september|"
    r"october|november)"
    # Scandinavian, Polish, Czech and Croatian months (the genitive a date takes), in lower case, or in capitals with
    # their year ("3 STYCZNIA 2022"; "UL. 3 MAJA 15" is a street; "marca", Polish March, is Spanish for "scores")
    r"|(?:" + _GENITIVE_MONTHS + r")(?![\w-])|(?:" + _GENITIVE_MONTHS.upper() + r")(?= \d{4}\b)"
    # Catalan, Romanian, Finnish (the partitive a date takes), Estonian (also "from"/"until": "1. detsembrist") and
    # Swahili months
    r"|(?i:gener|febrer|març|maig|juny|juliol|setembre|desembre|ianuarie|februarie|martie|aprilie|iunie|iulie|"
    r"septembrie|octombrie|noiembrie|decembrie|tammikuuta|helmikuuta|maaliskuuta|huhtikuuta|toukokuuta|kesäkuuta|"
    r"heinäkuuta|elokuuta|syyskuuta|lokakuuta|marraskuuta|joulukuuta|Machi|Aprili|Julai|Agosti|Septemba|Oktoba|"
    r"Novemba|Desemba|(?:jaanuar|veebruar|märts|aprill|juuni|juuli)(?:il|ist|ini)?"
    r"|(?:septemb|oktoob|novemb|detsemb)(?:er|ril|rist|rini))(?![\w-])"
    # Welsh, Irish and Turkish months, capitalised, only with their year ("4 Mawrth 1987", "23 Nisan 1995"; not "3
    # Samhain traditions"; Turkish "Mart" is left out: "Walmart 7 Mart 2024 promo")
    r"|(?:Ionawr|Chwefror|Mawrth|Ebrill|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr|Eanáir|Feabhra|Márta|"
    r"Aibreán|Bealtaine|Meitheamh|Iúil|Lúnasa|Samhain|Nollaig|Ocak|Şubat|Nisan|Mayıs|Haziran|Temmuz|Ağustos|"
    r"Eylül|Ekim|Kasım|Aralık)(?= \d{4}\b)"
    # ... and "Mart" with its year and a time's or a weekday's word ("10 Mart 2026 Salı 15:42", "24 Mart 2026 saat")
    r"|Mart(?= \d{4} (?:saat|Pazartesi|Salı|Çarşamba|Perşembe|Cuma|Cumartesi|Pazar)\b))"
)
_GERMAN_WEEKDAY = r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)"
_FOREIGN_WEEKDAY = (
    r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|[Ll]undi|[Mm]ardi|[Mm]ercredi|[Jj]eudi|"
    r"[Vv]endredi|[Ss]amedi|[Dd]imanche|[Ll]unes|[Mm]artes|[Mm]iércoles|[Jj]ueves|[Vv]iernes|[Ss]ábado|[Dd]omingo|"
    r"[Ll]unedì|[Mm]artedì|[Mm]ercoledì|[Gg]iovedì|[Vv]enerdì|[Ss]abato|[Mm]aandag|[Dd]insdag|[Ww]oensdag|"
    r"[Dd]onderdag|[Vv]rijdag|[Zz]aterdag|[Zz]ondag)"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_MONTH_NUMBER = r"(?:1[0-2]|0?[1-9])"
# An arrival, departure or birthday that dates the day and month after it: "arrives 14.02.", "Geburtstag: 14.02."
_DAY_MONTH_CUE = (
    r"(?i:arrives?|arriving|arrival:?|departure:?|check-in:?|check-out:?|birthday:?|geburtstag:?|geburtsdatum:|"
    r"ankunft:?|abreise:?)"
)
# Words of a clinical or call record before a day and month without a year ("admitted 28/10", "Follow up 12/12"; not
# counts such as "PRs reviewed 9/12", "Rooms booked 11/12", "Tickets received 11/12", "see note 2/4").
_RECORD_DATE_CUE = r"(?i:admitted|discharged|follow(?:ed)?[- ]up|dated|appt|appointment|callback|call back)"
# What a day and month after a weekday or a record's word are followed by: the clause's end, or a place or a time.
_DAY_MONTH_ENDS = r"(?![/\d%])(?=[ \t]*(?:[,.;:)\n]|$)| (?:in|at|on|for|between|from|to) )(?! on time\b)"
# A day and a month in either order: one of the two numbers is a month ("28/10", "7/14"; not "14/20", "27/29").
_DAY_AND_MONTH = rf"(?:{_DAY}/{_MONTH_NUMBER}|{_MONTH_NUMBER}/{_DAY})"
# Pairs that are fractions, ratings or scores more often than dates: halves, thirds, quarters, eighths, out of 5
# or 10 ("Reviewed 5/5", "Seen 10/10"), and "24/7".
_NOT_A_DAY_MONTH = r"(?:[12]/3|[13]/4|1/2|[1357]/8|[1-5]/5|(?:[1-9]|10)/10|24/7)(?!\d)"
# Labels of a date of birth: "Date of birth:", "DOB", "Geburtsdatum:" (not any colon: "Sizes: 8 / 10 / 12").
_DATE_LABEL = r"(?i:date of birth|birth ?date|dob|d\.o\.b\.|born|birthday|geburtsdatum|fecha de nacimiento)"
_HUNGARIAN_MONTH = (  # lower case, as Hungarian writes them ("Revenue grew in 2023. November 3 ..." is English)
    r"(?:január|február|március|április|május|június|július|augusztus|szeptember|október|november|december)"
)
_ORDINAL = rf"{_DAY}(?:st|nd|rd|th)"
_ORDINAL_WORD = (  # "the fourth of March", "March the twenty-first", a transcript's "the twenty third of august"
    r"(?i:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[- ](?:first|second|third|"
    r"fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[- ]first)"
)
# English number words (`core.path.ages` reads ages with them too)
UNITS = "one|two|three|four|five|six|seven|eight|nine"
TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# A year as a transcript writes it: "nineteen eighty two", "nineteen oh five", "two thousand and three", "twenty twelve"
_TENS_AND_UNIT = rf"(?:{TENS})(?:[ -](?:{UNITS}))?"
_SPOKEN_YEAR = (
    rf"(?i:(?:nineteen|twenty)[ -](?:oh[ -](?:{UNITS})|{TEENS}|{_TENS_AND_UNIT})"
    rf"|two thousand(?: and)?(?:[ -](?:{TEENS}|{_TENS_AND_UNIT}|{UNITS}))?)"
)
# What no date without "the" follows: a fraction's article or number ("a third of March rainfall", "two fifths of")
_WORD_BEFORE_A_DATE = r"(?<!\ba\s)(?<!\bone\s)(?<!\btwo\s)(?<!\bthree\s)\b"
_SHORT_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun|MON|TUE|WED|THU|FRI|SAT|SUN)\.?"
TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?"
_PREPOSITION = r"(?i:on|for|from|to|until|till|by|since|before|after|says|said)"
# What "the 21st ..." is when it is no date.
_NOT_A_DAY = (
    r"(?:century|centuries|floor|time|times|place|row|grade|anniversary|amendment|edition|minute|hour|round|"
    r"position|spot|run|lap|grid|attempt)"
)
DATE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]{TIME})?"
    # a day and a month both as ordinals, as British speech gives a date, with its year: "the 9th of the 12th, 1990"
    rf"|\b(?i:the)\s{_ORDINAL}\sof\s(?i:the)\s(?:1[0-2]|0?[1-9])(?:st|nd|rd|th)\b,?\s(?:19|20)\d{{2}}\b"
    # (with its weekday, in any of the languages: "Donnerstag, 10.04.2025", "Thursday 10/04/2025")
    rf"|(?:\b(?:{_WEEKDAY}|{_FOREIGN_WEEKDAY}|{_SHORT_WEEKDAY}),?\s)?"
    rf"(?<![\d.])\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}(?![\d]|[./-]\d)(?:,?\s{TIME})?"
    rf"|(?<![\d.])\d{{1,2}}\.\s\d{{1,2}}\.\s\d{{4}}\b"  # "12. 3. 2024"
    # a form's spaced "Date of birth: 29 / 02 / 1992", "DOB: 29 - 02 - 1992" (not "sizes 8 / 10 / 12")
    rf"|\b{_DATE_LABEL}:?[ \t]*(?P<value_spaced>(?:{_DAY} (?P<sep_a>[/.-]) {_MONTH_NUMBER}"
    rf"|{_MONTH_NUMBER} (?P<sep_b>[/.-]) {_DAY}) (?:(?P=sep_a)|(?P=sep_b)) \d{{2,4}})(?![\d/])"
    # a day and month with their dots and no year, after an arrival, departure or birthday ("arrives 14.02. late",
    # "Geburtstag: 14.02.") or before "alkaen"/"asti" ("1.9. alkaen"); not a version, a rate or a rating ("seit der
    # 2.3.", "stieg bis 4.5.", "4.5. great")
    rf"|\b{_DAY_MONTH_CUE} (?P<value_day_dot>{_DAY}\.{_MONTH_NUMBER}\.)(?![\d.])"
    rf"|(?<![\w.])(?P<value_day_dot_fi>{_DAY}\.{_MONTH_NUMBER}\.) (?=(?:alkaen|asti|lähtien|mennessä)\b)"
    # German "am 14.10.", "vom 3.4. bis", "Mi., 16.10.", a German or English weekday with it: "Mittwoch, 22.05.",
    # "Friday 21.06." (not "bis 4.5.", which may be a rate; nor a name that is a weekday elsewhere: "Plácido Domingo,
    # 12.3. Gala")
    rf"|\b(?:[Aa]m|[Vv]om|[Zz]um|Mo\.|Di\.|Mi\.|Do\.|Fr\.|Sa\.|So\.),? (?P<value_day_dot_de>{_DAY}\.{_MONTH_NUMBER}\.)"
    r"(?![\d.])"
    rf"|\b(?P<value_weekday_day_dot>(?:{_GERMAN_WEEKDAY}|{_WEEKDAY}),? {_DAY}\.{_MONTH_NUMBER}\.)(?![\d.])"
    # Lithuanian, month first: "kovo 18 d.", "nuo birželio 1 d."
    rf"|\b(?i:sausio|vasario|kovo|balandžio|gegužės|birželio|liepos|rugpjūčio|rugsėjo|spalio|lapkričio|gruodžio) "
    rf"{_DAY} d\."
    # Hungarian, year first: "1968. április 9."
    rf"|\b(?:19|20)\d{{2}}\. ?{_HUNGARIAN_MONTH} {_DAY}\.?"
    rf"|\b{_MONTH}\s{_DAY}(?:st|nd|rd|th)?(?:,?\s\d{{4}})?\b"
    rf"|\b(?:the\s)?{_DAY}(?:st|nd|rd|th)?\s(?:of\s)?{_MONTH}(?:,?\s\d{{4}})?\b"
    rf"|\b{_MONTH},?\s(?:of\s)?(?:19|20)\d{{2}}\b"  # "March 2019"
    # a month of another language and its year after a preposition: "im März 2023", "en mars 2021", "desde abril de
    # 2019" (not "the Mars 2020 rover")
    rf"|\b(?:im|seit|ab|bis|vom|en|em|de|desde|depuis|dal|nel|in|od|do|w|i|sedan|fra|från)\s"
    rf"(?P<value_month_year>{_FOREIGN_MONTH}\s(?:de\s|del\s)?(?:19|20)\d{{2}})\b"
    # a form's "03-Mar-2015", "DOB: 3-MAR-87" (a short year only after a label: "SKU 5-Sep-12" is a code)
    rf"|(?<![\w-]){_DAY}-{_MONTH}-\d{{4}}(?![\w-])"
    rf"|\b{_DATE_LABEL}:?[ \t]*(?P<value_short>{_DAY}-{_MONTH}-\d{{2}})(?![\w-])"
    rf"|\b{_WEEKDAY}(?:,?\s(?:the\s)?{_ORDINAL}\b)?"
    # a short weekday and its day with the month, or with "the" ending the clause: "Wed 14th March", "Mon 1st Aug",
    # "sat the 14th?" (not "Hamilton sat 3rd", "Sheffield Wed 2nd in the table", "Mercedes Sun 1st.", "we sat the 3rd
    # paper")
    rf"|\b{_SHORT_WEEKDAY},?\s(?:the\s)?{_ORDINAL}\s(?:of\s)?{_MONTH}(?:,?\s\d{{4}})?\b"
    rf"|\b(?i:{_SHORT_WEEKDAY})\sthe\s{_ORDINAL}(?=[ \t]*(?:[.;!?)]|$))"
    rf"|\b(?i:the)\s(?!(?i:fourth of july)\b(?!,?\s\d))"  # a holiday without its year: "the Fourth of July parade"
    rf"{_ORDINAL_WORD}\sof\s{_MONTH}(?![\w'’])(?:,?\s\d{{4}}\b|,?\s{_SPOKEN_YEAR}\b)?"
    # a transcript's answer without "the", with its year or after a word of birth or time: "twelfth of march nineteen
    # eighty four", "born fourth of july 1976", "dob is first of may" (not a fraction's "a third of March rainfall", a
    # holiday's "First of May demonstrations")
    rf"|(?<!\bthe\s){_WORD_BEFORE_A_DATE}{_ORDINAL_WORD}\sof\s(?:{_MONTH}|may)(?![\w'’])(?:,?\s\d{{4}}\b|,?\s{_SPOKEN_YEAR}\b)"
    rf"|(?<!\bthe\s)(?:(?<=\bborn\s)|(?<=\bbirth\s)|(?<=\bdob\s)|(?<=\bis\s)|(?<=\bon\s)|(?<=\bby\s))"
    rf"{_ORDINAL_WORD}\sof\s{_MONTH}(?![\w'’])"
    rf"|\b{_CAPITALISED_MONTH}\s(?i:the)\s{_ORDINAL_WORD}\b(?![ \t]+[a-z])"  # not "May the Fourth be"
    # a transcript's "filed on march fourth", "June twenty first", with a spoken year: a month in lower case only after
    # a preposition of time, "born", "is" or "date of birth" (not the verb "march first", "an august first edition");
    # never "May", a band's "March Fourth Marching Band", "June first-class" or "March fourth-quarter sales"
    r"|(?:\b(?!May\b)" + _CAPITALISED_MONTH + r"|(?:(?<=\bon )|(?<=\bby )|(?<=\buntil )|(?<=\bsince )|(?<=\bfrom )"
    r"|(?<=\bbefore )|(?<=\bafter )|(?<=\bfor )|(?<=\bborn )|(?<=\bis )|(?<=\bbirth )|(?<=\bdob ))"
    r"(?:january|february|march|april|june|july|august|september|october|november|"
    rf"december))\s{_ORDINAL_WORD}\b(?!-)(?![ \t]+(?:[A-Z]|(?i:quarter|place|time|round|floor|of|edition|class|"
    rf"half|hand|party|team)\b))(?:,?\s{_SPOKEN_YEAR}\b)?"
    # "3. Juni 1965", "17 mars 1974", "4 de agosto de 1979", "le 2 février", "Donnerstag, 14. November"
    rf"|(?:\b{_FOREIGN_WEEKDAY},?\s)?(?<![\d.]){_DAY}(?:\.|º|(?<=\b1)°|er)?\s(?:de\s)?{_FOREIGN_MONTH}\b"
    rf"(?:,?\s(?:de\s|del\s)?\d{{4}}\b)?"
    # a weekday of another language with its time: "Mittwoch um 9:30 Uhr", "mardi à 14h30", "lunes a las 10:00"
    # ("am Montag um 2 Prozent" is a market's move: a bare hour only with "Uhr", or after "a las"/"alle")
    rf"|\b{_FOREIGN_WEEKDAY},?\s(?:(?:um|à|om|às)\s(?:\d{{1,2}}[:h]\d{{2}}(?:\s?Uhr)?|\d{{1,2}}(?:\.\d{{2}})?\s?(?:Uhr|uur))"
    rf"|(?:a las|alle)\s\d{{1,2}}(?:[:.]\d{{2}})?|{TIME}(?:\s?Uhr)?|\d{{1,2}}h\d{{0,2}})"
    # a lower-case weekday where chat names a day: "see you tuesday", "on saturday", "until friday"
    r"|\b(?:(?i:on|see you|until|till|by|next|this coming|coming|since) )"
    r"(?P<value_weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?! (?i:night|morning|matinee))"
    rf"|(?<!\[)\b{TIME}(?!\d)(?!\])"  # not a chat log's stamp: "[10:42] <jan> hi"
    r"|\b(?:1[0-2]|0?[1-9])\s?(?i:am|pm|a\.m\.|p\.m\.)(?!\w)"
    # a year after birth words: "born in 1984", "DOB 1958", "Born: 1987"
    r"|\b(?i:born(?:\s+(?:in|on))?|dob|d\.o\.b\.|date of birth|year of birth|birth year"
    # ("I was born in" of Portuguese, Spanish, Italian, French, Polish; German, Dutch, Scandinavian "born")
    r"|nasci em|nací en|sono nat[oa] nel|suis née? en|urodzi(?:łam|łem) się w|geboren|född(?: år)?|"
    r"født(?: i)?|ur\.|urodzon[ya](?: w)?|nar\.|narozen[aá]?(?: v roce)?|"
    r"syntynyt)\s*:?\s*"
    # with its month and day: "born 1968-07-22" (not a season's "Nar. 2024/25")
    r"(?P<value_year>(?:19|20)\d{2}(?:[-/.]\d{1,2}[-/.]\d{1,2})?)\b(?![-/]\d)"
    r"|(?<![\w.])b\. (?P<value_born>(?:19|20)\d{2}(?:[-/.]\d{1,2}[-/.]\d{1,2})?)\b"  # "b. 1947"
    r"|\b(?i:born(?:\s+in)?|b\.)\s*['’‘](?P<value_year_short>\d{2})\b"  # "born in '85"
    # a person's year at a school or college: in brackets after them, "(class of 2011)", or where alumni meet, "Alumni
    # dinner – St Andrew's College Class of 1995" (not a ship's or a drug's "class of 1907", a film's "Class of 1999")
    r"|\((?i:class of) (?P<value_class>(?:19|20)\d{2})\)"
    r"|\b(?i:alumni|alumnus|alumna|graduates?|graduated|reunion)\b[^.!?\n]{0,40}?\b(?i:class of) "
    r"(?P<value_class_met>(?:19|20)\d{2})\b"
    # a year of a life event: "moved to Ljubljana in 2003", "married since 1979", "retired in 2015"
    r"|\b(?i:moved|married|graduated|retired|emigrated|immigrated|arrived|divorced|died|passed away|diagnosed|"
    r"widowed|bapti[sz]ed|adopted|enrolled|hired|started working|joined us|joined the company)\b[^.!?\n]{0,40}?"
    r"\b(?i:in|since) (?P<value_life_year>(?:19|20)\d{2})\b"
    # the writer's own years: "I've lived at this address since 2014", "I went to Zanzibar for our honeymoon in
    # 2018" ("we" is as often a company's or a country's: "We opened 12 stores in 2019"; not "I saw it in 1999")
    r"|\bI(?:['’]ve|['’]d| have| had| was)? "
    r"(?:been|lived|worked|banked|studied|stayed|went|travell?ed|visited|bought|opened|owned|joined|started|"
    r"qualified|left|met|rented|signed up|subscribed)\b"
    r"[^.!?\n]{0,50}?\b(?:in|since) (?P<value_own_year>(?:19|20)\d{2})\b"
    # a profile's "Member since 2011", "Customer since: 2007" where a line starts, or said of a person after a comma
    # ("Ama Owusu, born 1983, customer since 2007"; not "an EU member since 1995", "Finland, member since 1995")
    r"|(?:(?m:^)[ \t]*(?:[-*•][ \t]*)?(?i:member)|(?:(?m:^)[ \t]*(?:[-*•][ \t]*)?|(?<=, ))"
    r"(?i:customer|client|subscriber|cardholder)) since:? "
    r"(?P<value_member_year>(?:19|20)\d{2})\b"
    # a person's years: "worked with us as a shift lead from 2017 to 2022", "she studied there from 2009 until 2013"
    # (not "The factory worked from 2015 to 2019", "Researchers studied ... from 2010 to 2020")
    r"|(?:\b(?:I|[Hh]e|[Ss]he|[Ww]e|[Tt]hey)(?: \w+)? (?:worked|studied|lived|served|trained|was employed)"
    r"|\b(?:worked|served|trained) (?:with|for) (?:us|me|our \w+))\b[^.!?\n]{0,40}?\b(?i:from|between) "
    r"(?P<value_years_of_work>(?:19|20)\d{2}(?: (?:to|until|till|and) |[-–])(?:19|20)\d{2})\b"
    # a person born in a named place in a year: "my dad was born in Tromsø in 1952" (not "born in a garage in 1976",
    # "Born in Detroit in 1959, Motown ...", "The brand was born in Italy in 1950")
    r"|\b(?:I|i|[Hh]e|[Ss]he|[Mm]y \w+|[Hh]is \w+|[Hh]er \w+|[Oo]ur \w+|[Tt]heir \w+) (?:was|were) born in "
    rf"[{CAPITALS}][\w'’.-]*(?: [{CAPITALS}][\w'’.-]*){{0,2}},? in "
    r"(?P<value_born_year>(?:19|20)\d{2})\b"
    # a day alone, or a day and month, after a preposition: "on the 17th", "for the 21st", "on 8/14"
    rf"|\b{_PREPOSITION} (?P<value_day>the {_ORDINAL}(?: of {_MONTH}(?:,? \d{{4}})?)?)\b(?! {_NOT_A_DAY}\b)"
    r"(?! of the \d)"  # "on the 9th of the 12th, 1990" is the whole date's
    rf"|\b{_PREPOSITION} (?P<value_day_month>{_DAY}/{_DAY})(?![/\d])"
    # ... and after words of other languages that date it, written as a date is ("le 12/03", "del 28/11": a day
    # after 12 or two digits each; not a score, a time signature or odds: "el 7/6", "al 6/8", "al 5/1"), or after a
    # notice's word ("effective 10/1:", "travelling 6/1")
    rf"|\b(?:le|du|au|del|el|al|il|dal|am|vom) (?P<value_day_month_cue>(?:0[1-9]|[12]\d|3[01])/(?:0[1-9]|1[0-2])"
    rf"|(?:1[3-9]|2\d|3[01])/(?:0?[1-9]|1[0-2])){_DAY_MONTH_ENDS}"
    rf"|\b(?i:effective|valid from|travell?ing) (?!{_NOT_A_DAY_MONTH})(?P<value_day_month_notice>{_DAY_AND_MONTH})"
    rf"{_DAY_MONTH_ENDS}"
    # in chat, a short weekday in lower case and its day after a preposition of time, ending the clause: "tickets for
    # fri 21st", "on sat 3rd?" (not "he said sat 2nd.", "set to wed 4th", a race's "qualified on Sat 3rd")
    rf"|\b(?i:on|for|from|until|till|by|before|after) "
    rf"(?P<value_short_weekday>(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun) {_ORDINAL})(?=[ \t]*(?:[.,;!?)]|$))"
    # a day and month after a short weekday, ending the clause or before a time ("Wed 7/1 between 8 and 12"), or
    # after a clinical or call record's word, ending the clause or before a place or time ("admitted 28/10,", "Follow
    # up 12/12 in clinic"); not a fraction, a score or a count: "Sat 2/1 win", "Sat 3/1 to Arsenal", "Mon-Fri 9/5",
    # "Appointments booked 24/7", "PRs reviewed 9/12."
    rf"|(?<![-–])\b(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?\s(?!{_NOT_A_DAY_MONTH}){_DAY_AND_MONTH}"
    r"(?![/\d%])(?=[ \t]*(?:[,.;:)?!\n]|$)| (?:at|between|from) \d)"
    rf"|\b{_RECORD_DATE_CUE} (?!{_NOT_A_DAY_MONTH})(?P<value_record_day>{_DAY_AND_MONTH}){_DAY_MONTH_ENDS}"
    # a passport's or a booking's day and month in capitals after "DOB", "dep" or "arr": "DOB 18DEC1985", "DEP 18DEC
    # 0930" (not an option's "AAPL 18DEC 150C", "rolled on 18OCT.", "SALE ENDS 31DEC", "Part 12MAY-4")
    r"|(?:(?<=\bdep )|(?<=\barr )|(?<=\bDEP )|(?<=\bARR )|(?<=\bDOB )|(?<=\bDOB: )|(?<=\bDOB/))"
    r"(?P<value_airline>(?:3[01]|[12]\d|0?[1-9])(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(?:\d{4}|\d{2})?)"
    r"(?![\w-])"
)
# Every date holds a digit, names a day or a day's ordinal in words; a text with none is skipped without DATE.
DATE_PREFILTER = re.compile(rf"\d|(?i:day)\b|\b(?:(?i:the)|{_MONTH}) {_ORDINAL_WORD}\b|{_ORDINAL_WORD}\sof\s{_MONTH}")
