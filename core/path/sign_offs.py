"""The words that close a letter or an e-mail before the writer's name ("Regards,\\nAna Ruiz"), in English and in
other languages ("Beste Grüße\\nStefan Krüger"): a regex alternation, in any case where it is used."""

SIGN_OFFS = (
    r"thanks|thank you|thanking you|regards|cheers|best|sincerely|faithfully|truly|"
    r"grüße|grüsse|gruß|saludos|cordialement|salutations|pozdrawiam|pozdrowienia|groeten|saluti|abraços|"
    r"atenciosamente|hälsningar|hilsen|terveisin|salamat"
)
