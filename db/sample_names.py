"""Name pools and fixed tables for the synthetic sample data (see db/sample_data.py).

Every organisation here is fictional, except the six real ones that DOMAIN.md names, which
appear only in the roles the source document gives them (REAL_* below).
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    """The blank-separated words of text (keeps long code lists compact)."""
    return text.split()


# --- Country -> ITU-D region -------------------------------------------------------------
# ARB and CIS are fixed lists (DOMAIN.md); AFR, AMS and EUR are listed here with the
# territories that lie in them; every other current country is ASP. Antarctic and
# sub-Antarctic items (ATA, ATF, BVT, HMD, and the historic ATB, ATN) are put in ASP because
# GLB is not a country region.
ARB_COUNTRIES = frozenset(
    _words("DZA BHR COM DJI EGY IRQ JOR KWT LBN LBY MRT MAR OMN PSE QAT SAU SOM SDN SYR TUN ARE YEM")
)
CIS_COUNTRIES = frozenset(_words("ARM AZE BLR KAZ KGZ RUS TJK TKM UZB"))
AFR_COUNTRIES = frozenset(
    _words(
        "AGO BEN BWA BFA BDI CPV CMR CAF TCD COG COD CIV GNQ ERI SWZ ETH GAB GMB GHA GIN GNB KEN "
        "LSO LBR MDG MWI MLI MUS MOZ NAM NER NGA RWA STP SEN SYC SLE ZAF SSD TZA TGO UGA ZMB ZWE "
        "REU MYT SHN ESH"
    )
)
AMS_COUNTRIES = frozenset(
    _words(
        "ATG ARG BHS BRB BLZ BOL BRA CAN CHL COL CRI CUB DMA DOM ECU SLV GRD GTM GUY HTI HND JAM "
        "MEX NIC PAN PRY PER KNA LCA VCT SUR TTO USA URY VEN ABW AIA BES BLM BMU CUW CYM FLK GLP "
        "GRL GUF MAF MSR MTQ PRI SGS SPM SXM TCA VGB VIR"
    )
)
EUR_COUNTRIES = frozenset(
    _words(
        "ALB AND AUT BEL BIH BGR HRV CYP CZE DNK EST FIN FRA DEU GEO GRC HUN ISL IRL ISR ITA LVA "
        "LIE LTU LUX MLT MDA MCO MNE NLD MKD NOR POL PRT ROU SMR SRB SVK SVN ESP SWE CHE TUR UKR "
        "GBR VAT ALA FRO GGY GIB IMN JEY SJM"
    )
)
HISTORIC_REGIONS: dict[str, str] = {
    "AFI": "ARB",
    "ANT": "AMS",
    "ATB": "ASP",
    "ATN": "ASP",
    "BUR": "ASP",
    "BYS": "CIS",
    "CSK": "EUR",
    "CTE": "ASP",
    "DDR": "EUR",
    "DHY": "AFR",
    "FXX": "EUR",
    "GEL": "ASP",
    "HVO": "AFR",
    "JTN": "ASP",
    "MID": "ASP",
    "NHB": "ASP",
    "NTZ": "ARB",
    "PCI": "ASP",
    "PCZ": "AMS",
    "PUS": "ASP",
    "RHO": "AFR",
    "SCG": "EUR",
    "SKM": "ASP",
    "SUN": "CIS",
    "TMP": "ASP",
    "VDR": "ASP",
    "WAK": "ASP",
    "YMD": "ARB",
    "YUG": "EUR",
    "ZAR": "AFR",
}

# Not beneficiaries of agreements: dependent territories and high-income donor countries.
NON_BENEFICIARIES = frozenset(
    _words(
        "ABW AIA ALA ASM ATA ATF BES BLM BMU BVT CCK COK CUW CXR CYM ESH FLK FRO GGY GIB GLP GRL "
        "GUF GUM HKG HMD IMN IOT JEY MAC MAF MNP MSR MTQ MYT NCL NFK NIU PCN PRI PYF REU SGS SHN "
        "SJM SPM SXM TCA TKL TWN UMI VGB VIR WLF "
        "AND AUT BEL CHE DEU DNK ESP FIN FRA GBR IRL ISL ITA LIE LUX MCO NLD NOR PRT SMR SWE VAT "
        "ISR USA CAN AUS NZL JPN KOR SGP PRK"
    )
)
# Codes that name a country only in some years: (first year, last year) as a beneficiary.
BENEFICIARY_YEARS: dict[str, tuple[int, int]] = {
    "ZAR": (1993, 1997),
    "COD": (1998, 9999),
    "YUG": (1993, 2002),
    "SCG": (2003, 2005),
    "SRB": (2006, 9999),
    "MNE": (2006, 9999),
    "ANT": (1993, 2009),
    "TMP": (1993, 2001),
    "TLS": (2002, 9999),
    "SSD": (2011, 9999),
}
COUNTRY_NAMES: dict[str, str] = {
    "COD": "Democratic Republic of the Congo",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "VCT": "Saint Vincent and the Grenadines",
    "YUG": "Yugoslavia",
    "ZAR": "Zaire",
    "ANT": "Netherlands Antilles",
    "TMP": "East Timor",
    "SCG": "Serbia and Montenegro",
}

REGION_PLACES: dict[str, str] = {
    "AFR": "Africa",
    "AMS": "the Americas",
    "ARB": "the Arab region",
    "ASP": "Asia and the Pacific",
    "CIS": "the CIS region",
    "EUR": "Europe",
    "GLB": "developing countries",
}

# --- Organisations -------------------------------------------------------------------------
# Real organisations, in the roles DOMAIN.md gives them.
REAL_DEVELOPMENT_PARTNERS: list[dict[str, object]] = [
    {
        "name": "Government of Australia",
        "type": "government",
        "country": "AUS",
        "sector": "public-administration",
        "since": 1994,
        "website": "https://www.dfat.gov.au",
        "areas": ["capacity-building", "enabling-environment", "infrastructure"],
        "regions": ["ASP"],
        "mechanisms": ["voluntary-contribution", "grant"],
    },
    {
        "name": "European Commission",
        "type": "intergovernmental",
        "country": "BEL",
        "sector": "public-administration",
        "since": 1995,
        "website": "https://commission.europa.eu",
        "areas": ["enabling-environment", "infrastructure", "capacity-building"],
        "regions": ["AFR", "AMS", "ASP"],
        "mechanisms": ["grant", "co-financing"],
    },
    {
        "name": "Bill & Melinda Gates Foundation",
        "type": "foundation",
        "country": "USA",
        "sector": "health",
        "since": 1999,
        "website": "https://www.gatesfoundation.org",
        "areas": ["digital-inclusion", "ict-applications"],
        "regions": ["AFR", "ASP"],
        "mechanisms": ["grant"],
    },
]
REAL_MANDATE = (
    "Long-standing development partner of BDT, honoured at WTDC-17 (Buenos Aires, "
    "2017) for 25 years of support to ITU-D."
)
REAL_STRATEGY = (
    "Support to telecommunication/ICT development through BDT programmes, projects and regional initiatives."
)
# 2017 partnerships outside the ICT sector: (name, type, country, sector, area, title).
REAL_2017_PARTNERS: list[tuple[str, str, str, str, str, str]] = [
    (
        "Fondation Pierre Fabre",
        "foundation",
        "FRA",
        "health",
        "ict-applications",
        "Partnership on the mobile health (m-Health) initiative",
    ),
    (
        "International Solid Waste Association",
        "ngo",
        "",
        "environment",
        "climate-ewaste",
        "Partnership on e-waste management (e-waste project)",
    ),
    (
        "UNU-ViE SCYCLE programme",
        "un-agency",
        "DEU",
        "environment",
        "climate-ewaste",
        "Partnership with the Sustainable Cycles (SCYCLE) programme on e-waste statistics and management",
    ),
]

# Fictional funding-partner profiles: name -> (type, country, sector, Sector Member).
PROFILES: dict[str, tuple[str, str, str, bool]] = {
    "Nordhavn Development Cooperation Agency": ("government", "DNK", "public-administration", False),
    "Brantholm Agency for International Development": ("government", "SWE", "public-administration", False),
    "Agence Valmorel de coopération numérique": ("government", "FRA", "public-administration", False),
    "Kaiserfeld Office for Digital Partnerships": ("government", "DEU", "public-administration", False),
    "Fjellstrand Development Fund": ("government", "NOR", "public-administration", False),
    "Marrowby Department for Overseas Digital Development": ("government", "GBR", "public-administration", False),
    "Hoshimori International Cooperation Office": ("government", "JPN", "public-administration", True),
    "Dasol ICT Cooperation Agency": ("government", "KOR", "ict", True),
    "Aurelle Development Cooperation Office": ("government", "CHE", "public-administration", False),
    "Westerduin Fund for Digital Development": ("government", "NLD", "public-administration", False),
    "Agencia Valdecasa de Cooperación Digital": ("government", "ESP", "public-administration", False),
    "Agenzia Montecorvo per lo Sviluppo Digitale": ("government", "ITA", "public-administration", False),
    "Lumivaara Development Partnership Office": ("government", "FIN", "public-administration", False),
    "Glenmorrow Development Cooperation Office": ("government", "IRL", "public-administration", False),
    "Beaumarais Agency for International Cooperation": ("government", "BEL", "public-administration", False),
    "Northspur International Development Agency": ("government", "CAN", "public-administration", False),
    "Rangimoa Pacific Partnerships Office": ("government", "NZL", "public-administration", False),
    "Al-Rimal Fund for ICT Development": ("government", "KWT", "ict", True),
    "Borowiec Digital Cooperation Agency": ("government", "POL", "public-administration", False),
    "Sudomir Digital Cooperation Office": ("government", "CZE", "public-administration", False),
    "Instituto Serra Alta de Cooperação Digital": ("government", "BRA", "public-administration", False),
    "Tianlu ICT Cooperation Centre": ("government", "CHN", "ict", True),
    "Banco de Desarrollo Andino-Meridional": ("financial-institution", "PER", "finance", False),
    "Caisse Atlantique de Développement": ("financial-institution", "SEN", "finance", False),
    "Northern Meridian Investment Bank": ("financial-institution", "GBR", "finance", True),
    "Eastmarch Infrastructure Bank": ("financial-institution", "SGP", "finance", False),
    "Fonds sahélien pour la connectivité": ("financial-institution", "BFA", "finance", False),
    "Gulf Crescent Development Fund": ("financial-institution", "SAU", "finance", False),
    "Banco Caribeño de Fomento Digital": ("financial-institution", "DOM", "finance", False),
    "Kilimara Development Bank": ("financial-institution", "KEN", "finance", False),
    "Donaustrand Export and Development Bank": ("financial-institution", "AUT", "finance", False),
    "Pacific Reef Development Finance Corporation": ("financial-institution", "FJI", "finance", False),
    "Steppe Infrastructure Development Bank": ("financial-institution", "KAZ", "finance", False),
    "Hollandsveld Impact Investment Fund": ("financial-institution", "NLD", "finance", True),
    "Levant Horizon Development Fund": ("financial-institution", "JOR", "finance", False),
    "Banco Austral de Inversión Social": ("financial-institution", "CHL", "finance", False),
    "Aldermoor Foundation": ("foundation", "GBR", "education", False),
    "Fundación Horizonte Austral": ("foundation", "ARG", "education", False),
    "Fondation Vauclerc pour l'inclusion numérique": ("foundation", "FRA", "other", False),
    "Ekholm-Varga Foundation": ("foundation", "SWE", "education", False),
    "Whitcombe Trust for Digital Learning": ("foundation", "GBR", "education", False),
    "Saranya Foundation for Rural Connectivity": ("foundation", "IND", "agriculture", False),
    "Tamarind Grove Foundation": ("foundation", "SGP", "other", False),
    "Amani Digital Futures Foundation": ("foundation", "KEN", "education", False),
    "Stiftung Waldhagen für Bildung": ("foundation", "DEU", "education", False),
    "Brightwell-Osei Foundation": ("foundation", "GHA", "other", False),
    "Fundação Cajueiro Digital": ("foundation", "BRA", "education", False),
    "Marlowe Health Access Foundation": ("foundation", "USA", "health", False),
    "Carrow Valley Foundation": ("foundation", "USA", "agriculture", False),
    "Noor Al-Marefa Foundation": ("foundation", "QAT", "education", False),
    "Kestrel Networks Ltd.": ("private-sector", "GBR", "ict", True),
    "Veridane Communications S.A.": ("private-sector", "FRA", "ict", True),
    "Halcyra Satellite Systems S.A.": ("private-sector", "LUX", "ict", True),
    "Norvik Telecom ASA": ("private-sector", "NOR", "ict", True),
    "Tessaly Mobile Group": ("private-sector", "ZAF", "ict", True),
    "Quillon Software GmbH": ("private-sector", "DEU", "ict", True),
    "Sablewood Data Centres Inc.": ("private-sector", "USA", "ict", False),
    "Corvella Technologies Ltd.": ("private-sector", "ISR", "ict", True),
    "Nakamori Electric Co., Ltd.": ("private-sector", "JPN", "ict", True),
    "Seoyun Telecom Co., Ltd.": ("private-sector", "KOR", "ict", True),
    "Lanshan Communication Technologies Co., Ltd.": ("private-sector", "CHN", "ict", True),
    "Arvessa Mobile Money Ltd.": ("private-sector", "NGA", "finance", True),
    "Belmaro Agritech S.A.": ("private-sector", "BRA", "agriculture", False),
    "Salvira Health Technologies AG": ("private-sector", "CHE", "health", True),
    "Umoja Fibre Networks Ltd.": ("private-sector", "TZA", "ict", True),
    "Tazrout Telecom S.A.": ("private-sector", "MAR", "ict", True),
    "Al-Bayan Digital Solutions": ("private-sector", "ARE", "ict", True),
    "Cedrus Cloud Services S.A.L.": ("private-sector", "LBN", "ict", True),
    "Andescom Telecomunicaciones S.A.": ("private-sector", "COL", "ict", True),
    "Coralina Telecom Ltd.": ("private-sector", "JAM", "ict", True),
    "Pampero Conectividad S.A.": ("private-sector", "ARG", "ict", False),
    "Belovodye Telecom JSC": ("private-sector", "RUS", "ict", True),
    "Kumbel Telecom LLC": ("private-sector", "KGZ", "ict", False),
    "Baltis Data Systems AS": ("private-sector", "EST", "ict", True),
    "Ostmere Semiconductors B.V.": ("private-sector", "NLD", "ict", True),
    "Vantaris Analytics Inc.": ("private-sector", "CAN", "ict", False),
    "Sundara Digital Pvt. Ltd.": ("private-sector", "IND", "ict", True),
    "Makara Power & Telecom PLC": ("private-sector", "LKA", "ict", False),
    "Motu Cable Company Ltd.": ("private-sector", "FJI", "ict", False),
    "Greyfriars Cyber Defence Ltd.": ("private-sector", "GBR", "ict", True),
    "Indian Ocean Islands Digital Commission": ("intergovernmental", "MUS", "public-administration", True),
    "Andean-Pacific Telecommunications Council": ("intergovernmental", "PER", "public-administration", True),
    "Trans-Saharan Digital Cooperation Organization": ("intergovernmental", "NER", "public-administration", False),
    "Caspian Connectivity Council": ("intergovernmental", "AZE", "public-administration", False),
    "Eastern Mediterranean Digital Forum": ("intergovernmental", "CYP", "public-administration", False),
    "Gulf of Guinea ICT Commission": ("intergovernmental", "NGA", "public-administration", True),
    "Mid-Danube Digital Partnership": ("intergovernmental", "AUT", "public-administration", False),
    "Pacific Islands Connectivity Secretariat": ("intergovernmental", "FJI", "public-administration", True),
    "Central Asian Digital Economy Council": ("intergovernmental", "UZB", "public-administration", False),
    "Conseil interafricain des technologies numériques": ("intergovernmental", "CIV", "public-administration", True),
    "UN Joint Programme on Digital Livelihoods": ("un-agency", "CHE", "other", False),
    "United Nations Trust Fund for Rural Connectivity": ("un-agency", "USA", "other", False),
    "UN Inter-Agency Partnership on Digital Health": ("un-agency", "CHE", "health", False),
    "UN Regional Hub for Digital Governance (Asia-Pacific)": ("un-agency", "THA", "public-administration", False),
    "UN Centre for Disaster Communications Readiness": ("un-agency", "ITA", "other", False),
    "UN Fund for Youth Digital Skills": ("un-agency", "KEN", "education", False),
    "UN Inter-Agency Programme on Data for Development": ("un-agency", "USA", "other", False),
    "UN Facility for Small Island Digital Resilience": ("un-agency", "WSM", "environment", False),
    "Connected Villages Initiative": ("ngo", "KEN", "other", False),
    "Digital Lifeline International": ("ngo", "NLD", "other", False),
    "Amara Girls' Digital Network": ("ngo", "GHA", "education", False),
    "Inclusive Screens Network": ("ngo", "GBR", "other", False),
    "Relief Signals International": ("ngo", "CHE", "other", False),
    "Green Circuit Recyclers Association": ("ngo", "IND", "environment", False),
    "Ardencourt University School of Telecommunications": ("academia", "GBR", "education", True),
    "Instituto Tecnológico del Valle Alto": ("academia", "MEX", "education", True),
    "Marenburg University of Applied Sciences": ("academia", "DEU", "education", True),
    "Institut polytechnique de Vallonne": ("academia", "BEL", "education", False),
    "Kuala Merah University of Technology": ("academia", "MYS", "education", True),
    "Allied Chambers for Digital Trade": ("other", "SGP", "other", True),
    "Rivermouth Consortium for Open Standards": ("other", "USA", "ict", True),
    "Association des opérateurs numériques du Sahel": ("other", "MLI", "ict", True),
}

# The 14 sponsors of 2017 (GSR-17, WTDC-17, ITUD-25), all Sector Members.
SPONSORS_2017: list[str] = [
    "Veridane Communications S.A.",
    "Kestrel Networks Ltd.",
    "Halcyra Satellite Systems S.A.",
    "Norvik Telecom ASA",
    "Tessaly Mobile Group",
    "Lanshan Communication Technologies Co., Ltd.",
    "Seoyun Telecom Co., Ltd.",
    "Arvessa Mobile Money Ltd.",
    "Cedrus Cloud Services S.A.L.",
    "Coralina Telecom Ltd.",
    "Al-Bayan Digital Solutions",
    "Dasol ICT Cooperation Agency",
    "Al-Rimal Fund for ICT Development",
    "Hoshimori International Cooperation Office",
]
# (event, sponsor, activity, amount in USD, status). The confirmed ones (status confirmed or
# empty) sum to 590,329; one pending and one cancelled request do not count.
_S = SPONSORS_2017
SPONSORSHIPS_2017: list[tuple[str, str, str, str, str]] = [
    ("GSR-17", _S[0], "Side event", "40000.00", "confirmed"),
    ("GSR-17", _S[1], "Reception", "50000.00", "confirmed"),
    ("GSR-17", _S[2], "Coffee break", "12000.00", "confirmed"),
    ("GSR-17", _S[3], "Lanyards", "15000.00", "confirmed"),
    ("GSR-17", _S[4], "Welcome cocktail", "35000.00", ""),
    ("GSR-17", _S[5], "Side event", "25000.00", "confirmed"),
    ("WTDC-17", _S[0], "Side event", "45000.00", "confirmed"),
    ("WTDC-17", _S[6], "Social event", "60000.00", "confirmed"),
    ("WTDC-17", _S[7], "Reception", "55000.00", "confirmed"),
    ("WTDC-17", _S[8], "Coffee break", "20000.00", "confirmed"),
    ("WTDC-17", _S[9], "Lanyards", "18000.00", "confirmed"),
    ("WTDC-17", _S[10], "Side event", "30000.00", ""),
    ("WTDC-17", _S[11], "Delegate bags", "25000.00", "confirmed"),
    ("WTDC-17", _S[2], "Coffee break", "15000.00", "confirmed"),
    ("WTDC-17", _S[12], "Side event", "25329.00", "confirmed"),
    ("ITUD-25", _S[13], "Social event", "60000.00", "confirmed"),
    ("ITUD-25", _S[1], "Reception", "40000.00", "confirmed"),
    ("ITUD-25", _S[6], "Photo exhibition", "20000.00", "confirmed"),
    ("WTDC-17", "Quillon Software GmbH", "Wi-Fi connectivity", "30000.00", "pending"),
    ("GSR-17", "Baltis Data Systems AS", "Coffee break", "10000.00", "cancelled"),
]

# ITU Academy Centres of Excellence of the 2015 cycle: (institution, country).
COE_INSTITUTES: list[tuple[str, str]] = [
    ("Kivara Telecom Training Institute", "KEN"),
    ("Institut supérieur du numérique Baobab", "SEN"),
    ("Mopane ICT Academy", "ZAF"),
    ("Great Rift Digital Skills Institute", "ETH"),
    ("Savanna School of Telecommunications", "NGA"),
    ("Msasa Institute of ICT Studies", "ZWE"),
    ("Centre régional de formation aux TIC de Bangoura", "CMR"),
    ("Instituto Cóndor de Formación en Telecomunicaciones", "BOL"),
    ("Centro de Capacitación Digital Ceiba", "CRI"),
    ("Escola Superior de Telecomunicações Ipê Amarelo", "BRA"),
    ("Blue Mahoe Institute of ICT", "JAM"),
    ("Instituto Tecnológico Sierra Verde", "MEX"),
    ("Nakhla Institute for Telecommunication Training", "EGY"),
    ("Al-Manara Academy of Digital Sciences", "JOR"),
    ("Institut supérieur Tafilalt des technologies numériques", "MAR"),
    ("Dar Al-Tiqniya Training Centre", "OMN"),
    ("Banyan Institute of Telecommunications", "IND"),
    ("Pacific Lagoon ICT Training Centre", "FJI"),
    ("Lotus Bay Institute of Digital Technology", "VNM"),
    ("Cendana Telecommunication Polytechnic", "IDN"),
    ("Himalayan Gateway ICT Academy", "NPL"),
    ("Sampaguita Institute of Information and Communications Technology", "PHL"),
    ("Tien Shan Institute of Communications", "KGZ"),
    ("Belaya Rechka Telecommunications Training Centre", "RUS"),
    ("Aragats Digital Skills Institute", "ARM"),
    ("Adriatic Coast Institute of Telecommunications", "MNE"),
    ("Carpathian Institute of Telecommunications and ICT", "ROU"),
    ("Vardar Valley ICT Training Centre", "MKD"),
]

# Invented name stems for the thinner partner records, by region of the partner's country.
THIN_STEMS: dict[str, list[str]] = {
    "AFR": _words(
        "Nyota Tumaini Upendo Kopano Ilanga Akoma Mbali Imani Neema Djoliba Wassa Dunia Makena "
        "Kijani Bahari Mwanga Tawi Chanzo Ikaze Umurage Kwezi Lumbi Boma Njia Sauti Jua Ngoma "
        "Lesedi Pula Khanya Ntsika Enyo Aduna Jamm Kalanga Sinazo Baraka Tiyo Zawadi Mosi "
        "Ayanda Thandeka Kayin Obodo Adanse Bisa Sundiata Tafari"
    ),
    "AMS": _words(
        "Quetzal Yunque Tamarindo Zafiro Jacarandá Araucaria Guayacán Colibrí Manglar Cenote "
        "Nopal Arrecife Tucán Cocuyo Kiskadee Guanacaste Lapacho Ñandú Mangle Ibirapitá "
        "Cardón Totora Palmira"
    ),
    "ARB": _words(
        "Qamar Sahra Yasmin Sidr Zaytoun Murjan Tilal Sawahil Najm Fajr Ufuq Majd Ghaith "
        "Sanabel Ward Nakhil Rayhan Bariq"
    ),
    "ASP": _words(
        "Bintang Cahaya Mekar Suryan Kalpa Aruna Mahal Kiri Harimau Angsana Cempaka Meranti "
        "Kaimana Vanua Pelangi Saujana Nilam Hoshizora Kumo Ratna Sagarika Tanvir "
        "Ilaya Amihan Dalisay Kalaw"
    ),
    "EUR": _words(
        "Ambervale Ashcombe Baltimar Belcastro Birchmont Bramlow Calvane Castelnor Cedarholm "
        "Dunmarrow Emberley Falcora Glenvarra Halverra Harrowdene Lindgrove Montravel "
        "Norchester Osterly Ravelstone Saltmere Thornvale Valmera Westmarch"
    ),
    "CIS": _words("Zhuldyz Samal Ayaz Bereke Nurly Izumrud Yashil Arax Sevan Dilijan Ketmen Alatau"),
}
# Name patterns of the thinner records, by partner type.
THIN_PATTERNS: dict[str, list[str]] = {
    "private-sector": [
        "{} Telecom",
        "{} Mobile",
        "{} Networks",
        "{} Communications",
        "{} Digital Services",
        "{} Fibre",
        "{} Data Systems",
        "{} Broadband",
        "{} Wireless",
        "{} Connect",
        "{} Satellite Services",
        "{} Cloud",
    ],
    "government": [
        "{} Digital Development Agency",
        "{} Rural Communications Fund",
        "{} Agency for Digital Services",
        "{} Broadband Development Authority",
        "{} ICT Authority",
        "{} Universal Service Fund",
        "{} e-Government Agency",
        "{} Digital Skills Programme",
    ],
    "academia": [
        "{} University of Technology",
        "{} Polytechnic Institute",
        "{} Institute of Telecommunications",
        "{} School of Engineering",
        "{} Digital University",
    ],
    "ngo": [
        "{} Digital Access Trust",
        "{} Community Networks Association",
        "{} Connected Schools Initiative",
        "{} Tech for Good Society",
    ],
    "foundation": ["{} Foundation", "{} Family Trust"],
    "financial-institution": ["{} Microfinance Bank", "{} Investment Partners"],
    "intergovernmental": ["{} Regional Digital Council"],
    "other": ["{} ICT Chamber", "{} Technology Park"],
}
THIN_TYPE_COUNTS: dict[str, int] = {
    "private-sector": 56,
    "government": 34,
    "academia": 15,
    "ngo": 10,
    "foundation": 6,
    "financial-institution": 5,
    "intergovernmental": 3,
    "other": 6,
}
THIN_SECTORS: dict[str, str] = {
    "private-sector": "ict",
    "government": "public-administration",
    "academia": "education",
    "ngo": "other",
    "foundation": "other",
    "financial-institution": "finance",
    "intergovernmental": "public-administration",
    "other": "ict",
}

# Words left out of web addresses made from names.
SLUG_STOP_WORDS = frozenset(
    _words(
        "a ag and asa b co de del des du for fur gmbh inc jsc l la llc lo ltd nations of on per plc pour pvt s sa sal the un united v"
    )
)
# Companies outside the ICT sector: sector -> what the company does.
SECTOR_BUSINESS: dict[str, str] = {
    "health": "health technology company",
    "finance": "financial services company",
    "agriculture": "agri-food and agritech company",
}
NON_ICT_COMPANY = "{} that uses digital technologies in its markets; its partnerships support {}."
MANDATES: dict[str, str] = {
    "government": "Development cooperation agency of its government; finances programmes in {}.",
    "financial-institution": "Development finance institution lending to and co-financing "
    "public and private projects in {}.",
    "foundation": "Private grant-making foundation supporting {} in low- and middle-income countries.",
    "private-sector": "Company active in telecommunications/ICT markets; its corporate "
    "responsibility programme supports {}.",
    "intergovernmental": "Regional intergovernmental organization that coordinates its members' policies on {}.",
    "un-agency": "United Nations entity that works with other agencies on {}.",
    "ngo": "Non-governmental organization working with communities on {}.",
    "academia": "University and research institution with programmes in {}.",
    "other": "Membership association that promotes {} among its members.",
}
STRATEGY = "Strategy {}–{}: {} in {}, mainly through {}."

MECHANISM_LABELS: dict[str, str] = {
    "grant": "grants",
    "voluntary-contribution": "voluntary contributions",
    "trust-fund": "trust funds",
    "co-financing": "co-financing",
    "in-kind": "in-kind support",
    "sponsorship": "sponsorship",
    "loan": "loans",
    "secondment": "secondment of experts",
}
MECHANISMS: dict[str, list[str]] = {
    "government": ["grant", "voluntary-contribution", "trust-fund", "co-financing", "secondment"],
    "financial-institution": ["loan", "co-financing", "grant", "trust-fund"],
    "foundation": ["grant", "co-financing", "in-kind"],
    "private-sector": ["in-kind", "sponsorship", "co-financing", "secondment"],
    "intergovernmental": ["grant", "co-financing", "trust-fund", "voluntary-contribution"],
    "un-agency": ["co-financing", "in-kind", "trust-fund"],
    "ngo": ["in-kind", "grant"],
    "academia": ["in-kind", "secondment"],
    "other": ["in-kind", "sponsorship"],
}

# --- Agreements ----------------------------------------------------------------------------
# Weights of agreement types by partner type, in vocab.AGREEMENT_TYPES order:
# mou, cooperation, voluntary-contribution, sponsorship, letter-of-intent, project-document, other
TYPE_WEIGHTS: dict[str, tuple[int, ...]] = {
    "government": (20, 15, 30, 0, 5, 20, 10),
    "financial-institution": (25, 20, 10, 0, 5, 35, 5),
    "foundation": (15, 25, 25, 0, 10, 20, 5),
    "private-sector": (30, 25, 0, 25, 10, 0, 10),
    "academia": (35, 50, 0, 0, 5, 0, 10),
    "un-agency": (35, 30, 0, 0, 0, 15, 20),
    "intergovernmental": (25, 25, 15, 0, 0, 25, 10),
    "ngo": (35, 35, 0, 0, 15, 0, 15),
    "other": (40, 25, 0, 15, 0, 0, 20),
}
REGION_WEIGHTS: dict[str, int] = {
    "AFR": 30,
    "AMS": 13,
    "ARB": 14,
    "ASP": 18,
    "CIS": 6,
    "EUR": 8,
    "GLB": 11,
}
AREA_WEIGHTS: dict[str, int] = {
    "capacity-building": 20,
    "climate-ewaste": 3,
    "cybersecurity": 7,
    "digital-inclusion": 9,
    "emergency-telecom": 3,
    "enabling-environment": 10,
    "ict-applications": 9,
    "infrastructure": 18,
    "innovation": 5,
    "statistics": 5,
    "general": 6,
}
# Agreement type -> (probability of no value, [(weight, lowest USD, highest USD)]).
VALUE_TIERS: dict[str, tuple[float, list[tuple[int, int, int]]]] = {
    "voluntary-contribution": (0.0, [(6, 100_000, 800_000), (3, 800_000, 2_500_000), (1, 2_500_000, 5_000_000)]),
    "project-document": (0.0, [(5, 80_000, 500_000), (4, 500_000, 1_500_000), (1, 1_500_000, 3_500_000)]),
    "cooperation": (0.35, [(8, 10_000, 120_000), (2, 120_000, 400_000)]),
    "sponsorship": (0.0, [(1, 10_000, 120_000)]),
    "mou": (0.85, [(1, 5_000, 100_000)]),
    "letter-of-intent": (0.9, [(1, 5_000, 50_000)]),
    "other": (0.5, [(1, 5_000, 150_000)]),
}
AMEND_WEIGHTS = {
    "voluntary-contribution": 5,
    "project-document": 5,
    "cooperation": 3,
    "mou": 1,
    "sponsorship": 1,
    "other": 1,
    "letter-of-intent": 0,
}
# Agreement type -> (probability of no end date, shortest and longest duration in days).
DURATIONS: dict[str, tuple[float, int, int]] = {
    "mou": (0.35, 1095, 1826),
    "cooperation": (0.1, 365, 1461),
    "voluntary-contribution": (0.0, 730, 1826),
    "sponsorship": (0.0, 60, 365),
    "letter-of-intent": (0.7, 365, 730),
    "project-document": (0.0, 730, 1826),
    "other": (0.4, 180, 1095),
}
# Subject phrases for titles: (phrase, first year it reads naturally).
AREA_PHRASES: dict[str, list[tuple[str, int, int]]] = {
    "capacity-building": [
        ("human capacity building in telecommunications", 1993, 9999),
        ("training of ICT professionals", 1993, 9999),
        ("ITU Academy training programmes", 2012, 9999),
        ("digital skills for public servants", 2018, 9999),
    ],
    "climate-ewaste": [
        ("e-waste management", 2008, 9999),
        ("ICTs and climate change adaptation", 2009, 9999),
        ("monitoring e-waste flows", 2016, 9999),
    ],
    "cybersecurity": [
        ("national computer incident response teams", 2008, 9999),
        ("child online protection", 2009, 9999),
        ("cybersecurity readiness", 2007, 9999),
    ],
    "digital-inclusion": [
        ("telecommunication access for rural communities", 1993, 2008),
        ("ICT accessibility for persons with disabilities", 2000, 9999),
        ("digital skills for women and girls", 2005, 9999),
        ("telecentres for rural communities", 1996, 2012),
    ],
    "emergency-telecom": [
        ("emergency telecommunications preparedness", 1993, 9999),
        ("early-warning systems for disasters", 2005, 9999),
    ],
    "enabling-environment": [
        ("telecommunication policy and regulatory reform", 1993, 9999),
        ("spectrum management", 1993, 9999),
        ("harmonization of ICT policies", 2006, 9999),
    ],
    "ict-applications": [
        ("telematics applications", 1993, 2003),
        ("telemedicine pilot services", 1996, 9999),
        ("e-government services", 2001, 9999),
        ("mobile financial services", 2010, 9999),
        ("e-agriculture strategies", 2012, 9999),
    ],
    "infrastructure": [
        ("rural telephony", 1993, 2008),
        ("broadband infrastructure development", 2003, 9999),
        ("Internet exchange points", 2005, 9999),
        ("the transition to digital terrestrial broadcasting", 2007, 9999),
        ("connecting schools to broadband", 2019, 9999),
    ],
    "innovation": [
        ("ICT innovation ecosystems", 2012, 9999),
        ("digital entrepreneurship", 2010, 9999),
        ("digital transformation centres", 2019, 9999),
    ],
    "statistics": [
        ("telecommunication statistics", 1993, 2005),
        ("ICT statistics and indicators", 1999, 9999),
        ("household ICT access surveys", 2008, 9999),
    ],
    "general": [
        ("cooperation in telecommunication development", 1993, 9999),
        ("support to BDT operational activities", 1993, 9999),
    ],
}
TITLES: dict[str, list[str]] = {
    "mou": ["Memorandum of Understanding on {subject}{in_place}", "Memorandum of Understanding: {subject}"],
    "cooperation": ["Cooperation agreement on {subject}{in_place}", "Cooperation on {subject} – {place}"],
    "voluntary-contribution": [
        "Voluntary contribution for {subject}{in_place}",
        "Contribution agreement – {Subject}, {place}",
    ],
    "sponsorship": [
        "Sponsorship of the regional workshop on {subject} ({year})",
        "Sponsorship agreement – forum on {subject}, {year}",
    ],
    "letter-of-intent": ["Letter of intent on {subject}{in_place}"],
    "project-document": ["Project document – {Subject} ({place})", "Project: {Subject} in {place}"],
    "other": [
        "Exchange of letters on {subject}",
        "Secondment arrangement – {subject}",
        "In-kind contribution – {subject}{in_place}",
    ],
}
NOTES: list[str] = [
    "Signed at ITU headquarters, Geneva.",
    "Original filed with the Legal Affairs Unit.",
    "Funds received in two instalments.",
    "Implemented with the regional office.",
    "Contribution managed as a trust fund.",
    "Final report due six months after completion.",
    "Counterpart contribution in kind (equipment and experts).",
    "Renewal to be discussed at the next bilateral meeting.",
    "Audit certificate received.",
    "Signed during a strategic visit to the partner.",
]
# Notes of amendments that add money, and of those that add none.
AMENDMENT_NOTES_FUNDED: list[str] = [
    "Additional contribution for a second phase.",
    "Revised budget and work plan.",
    "Top-up for activities in additional beneficiary countries.",
]
AMENDMENT_NOTES_NO_COST: list[str] = [
    "No-cost extension of the implementation period.",
    "Revised work plan, budget unchanged.",
    "Change of the partner's focal point and reporting dates.",
]
QUOTED_NOTES: list[str] = [
    'Signed in the margins of the "Digital Bridges" ministerial round-table, Geneva.\n'
    "Original filed with the Legal Affairs Unit.",
    'Partner asked for the title "Phase II, rural pilots" in its own records, not ours.',
    'Payment schedule: 40%, 30%, 30%; the last instalment after the final report.\nSee the "closure" checklist.',
]
# Responsible officers (usernames): (username, first year, last year, weight). `staff`,
# `admin` and `field-afr` are the demo accounts; the others are fictional staff members.
OFFICERS: list[tuple[str, int, int, int]] = [
    ("h.bergmann", 1993, 2006, 3),
    ("p.mensah", 1993, 2009, 3),
    ("c.dubois", 1997, 2012, 3),
    ("j.moreau", 2005, 9999, 3),
    ("a.haddad", 2007, 9999, 3),
    ("l.chen", 2009, 9999, 3),
    ("m.okafor", 2011, 9999, 3),
    ("s.petrova", 2015, 9999, 2),
    ("r.alvarez", 2016, 9999, 2),
    ("staff", 2012, 9999, 4),
    ("admin", 2012, 9999, 1),
]
AREA_LABELS: dict[str, str] = {
    "capacity-building": "capacity building",
    "climate-ewaste": "climate change and e-waste",
    "cybersecurity": "cybersecurity",
    "digital-inclusion": "digital inclusion",
    "emergency-telecom": "emergency telecommunications",
    "enabling-environment": "the enabling environment",
    "ict-applications": "ICT applications",
    "infrastructure": "telecommunication infrastructure",
    "innovation": "innovation",
    "statistics": "ICT statistics",
    "general": "telecommunication development",
}

# Currency of the partner's country (where agreements are often denominated) and rough USD
# per unit rates by year: (from year, rate), the latest entry at or before the year applies.
COUNTRY_CURRENCY: dict[str, str] = {
    "AUS": "AUD",
    "CAN": "CAD",
    "CHE": "CHF",
    "DNK": "DKK",
    "GBR": "GBP",
    "JPN": "JPY",
    "NOR": "NOK",
    "SWE": "SEK",
    "AUT": "EUR",
    "BEL": "EUR",
    "DEU": "EUR",
    "ESP": "EUR",
    "FIN": "EUR",
    "FRA": "EUR",
    "IRL": "EUR",
    "ITA": "EUR",
    "LUX": "EUR",
    "NLD": "EUR",
}
USD_RATES: dict[str, list[tuple[int, str]]] = {
    "EUR": [
        (1999, "1.07"),
        (2001, "0.90"),
        (2003, "1.13"),
        (2005, "1.24"),
        (2008, "1.47"),
        (2010, "1.33"),
        (2013, "1.33"),
        (2015, "1.11"),
        (2018, "1.18"),
        (2020, "1.14"),
        (2022, "1.05"),
        (2024, "1.08"),
    ],
    "CHF": [
        (1993, "0.68"),
        (1998, "0.69"),
        (2001, "0.59"),
        (2005, "0.80"),
        (2010, "0.96"),
        (2012, "1.07"),
        (2015, "1.04"),
        (2020, "1.07"),
        (2023, "1.11"),
        (2025, "1.20"),
    ],
    "JPY": [
        (1993, "0.0090"),
        (1995, "0.0107"),
        (1998, "0.0076"),
        (2005, "0.0091"),
        (2011, "0.0125"),
        (2015, "0.0083"),
        (2018, "0.0091"),
        (2022, "0.0076"),
        (2024, "0.0066"),
    ],
    "AUD": [
        (1993, "0.68"),
        (2000, "0.58"),
        (2005, "0.76"),
        (2011, "1.03"),
        (2015, "0.75"),
        (2019, "0.70"),
        (2023, "0.66"),
    ],
    "GBP": [
        (1993, "1.50"),
        (1998, "1.66"),
        (2004, "1.83"),
        (2009, "1.57"),
        (2015, "1.53"),
        (2017, "1.29"),
        (2022, "1.24"),
        (2024, "1.28"),
    ],
    "SEK": [
        (1993, "0.13"),
        (2001, "0.10"),
        (2006, "0.14"),
        (2011, "0.15"),
        (2015, "0.12"),
        (2019, "0.106"),
        (2022, "0.099"),
    ],
    "NOK": [
        (1993, "0.14"),
        (2001, "0.11"),
        (2006, "0.16"),
        (2011, "0.18"),
        (2015, "0.12"),
        (2019, "0.114"),
        (2022, "0.10"),
    ],
    "CAD": [
        (1993, "0.77"),
        (2000, "0.67"),
        (2006, "0.88"),
        (2011, "1.01"),
        (2015, "0.78"),
        (2019, "0.75"),
        (2023, "0.74"),
    ],
    "DKK": [
        (1993, "0.15"),
        (2001, "0.12"),
        (2006, "0.17"),
        (2011, "0.18"),
        (2015, "0.15"),
        (2020, "0.153"),
        (2022, "0.141"),
    ],
}

# --- Events and sponsorship ----------------------------------------------------------------
# (id, name, start, end, location, open event, sponsorship target in USD or "").
EVENTS: list[tuple[str, str, str, str, str, bool, str]] = [
    (
        "WTDC-14",
        "World Telecommunication Development Conference 2014",
        "2014-03-30",
        "2014-04-10",
        "Dubai, United Arab Emirates",
        True,
        "",
    ),
    ("GSR-14", "Global Symposium for Regulators 2014", "2014-06-03", "2014-06-05", "Manama, Bahrain", True, ""),
    ("GSR-15", "Global Symposium for Regulators 2015", "2015-06-30", "2015-07-02", "Libreville, Gabon", True, ""),
    (
        "GSR-16",
        "Global Symposium for Regulators 2016",
        "2016-05-11",
        "2016-05-13",
        "Sharm el-Sheikh, Egypt",
        True,
        "150000.00",
    ),
    (
        "GSR-17",
        "Global Symposium for Regulators 2017",
        "2017-05-11",
        "2017-05-14",
        "Nassau, Bahamas",
        True,
        "250000.00",
    ),
    (
        "WTDC-17",
        "World Telecommunication Development Conference 2017",
        "2017-10-09",
        "2017-10-20",
        "Buenos Aires, Argentina",
        True,
        "600000.00",
    ),
    (
        "ITUD-25",
        "ITU-D 25th anniversary celebration",
        "2017-10-10",
        "2017-10-10",
        "Buenos Aires, Argentina",
        False,
        "200000.00",
    ),
    (
        "GSR-18",
        "Global Symposium for Regulators 2018",
        "2018-07-09",
        "2018-07-12",
        "Geneva, Switzerland",
        True,
        "300000.00",
    ),
    (
        "RDF-AFR-19",
        "Regional Development Forum for Africa 2019",
        "2019-03-26",
        "2019-03-27",
        "Abidjan, Côte d'Ivoire",
        True,
        "80000.00",
    ),
    (
        "GSR-19",
        "Global Symposium for Regulators 2019",
        "2019-07-09",
        "2019-07-12",
        "Port Vila, Vanuatu",
        True,
        "300000.00",
    ),
    (
        "GSR-20",
        "Global Symposium for Regulators 2020 (virtual)",
        "2020-09-01",
        "2020-09-03",
        "Online",
        True,
        "100000.00",
    ),
    (
        "GSR-21",
        "Global Symposium for Regulators 2021 (virtual)",
        "2021-06-22",
        "2021-06-25",
        "Online",
        True,
        "100000.00",
    ),
    (
        "RDF-ASP-21",
        "Regional Development Forum for Asia and the Pacific 2021 (virtual)",
        "2021-04-21",
        "2021-04-22",
        "Online",
        True,
        "50000.00",
    ),
    (
        "WTDC-22",
        "World Telecommunication Development Conference 2022",
        "2022-06-06",
        "2022-06-16",
        "Kigali, Rwanda",
        True,
        "800000.00",
    ),
    (
        "GSR-22",
        "Global Symposium for Regulators 2022",
        "2022-06-20",
        "2022-06-23",
        "Pattaya, Thailand",
        True,
        "300000.00",
    ),
    (
        "GSR-23",
        "Global Symposium for Regulators 2023",
        "2023-06-05",
        "2023-06-08",
        "Sharm el-Sheikh, Egypt",
        True,
        "350000.00",
    ),
    (
        "RDF-ARB-24",
        "Regional Development Forum for the Arab States 2024",
        "2024-02-20",
        "2024-02-21",
        "Muscat, Oman",
        True,
        "90000.00",
    ),
    (
        "RDF-AMS-24",
        "Regional Development Forum for the Americas 2024",
        "2024-05-14",
        "2024-05-15",
        "Brasília, Brazil",
        True,
        "90000.00",
    ),
    (
        "GSR-24",
        "Global Symposium for Regulators 2024",
        "2024-07-01",
        "2024-07-04",
        "Kampala, Uganda",
        True,
        "350000.00",
    ),
    (
        "GSR-25",
        "Global Symposium for Regulators 2025",
        "2025-08-31",
        "2025-09-03",
        "Riyadh, Saudi Arabia",
        True,
        "400000.00",
    ),
    (
        "WTDC-25",
        "World Telecommunication Development Conference 2025",
        "2025-11-17",
        "2025-11-28",
        "Baku, Azerbaijan",
        True,
        "900000.00",
    ),
    (
        "RDF-CIS-26",
        "Regional Development Forum for the CIS region 2026",
        "2026-04-15",
        "2026-04-16",
        "Almaty, Kazakhstan",
        True,
        "70000.00",
    ),
    (
        "GSR-26",
        "Global Symposium for Regulators 2026",
        "2026-06-30",
        "2026-07-03",
        "Geneva, Switzerland",
        True,
        "400000.00",
    ),
    (
        "RDF-ASP-26",
        "Regional Development Forum for Asia and the Pacific 2026",
        "2026-09-22",
        "2026-09-23",
        "Bangkok, Thailand",
        True,
        "80000.00",
    ),
]
# Upcoming events, placed relative to the reference date: (id pattern, name pattern,
# days after the reference date, length in days, location, open event, target).
# {yy}/{yyyy} are the start year.
UPCOMING_EVENTS: list[tuple[str, str, int, int, str, bool, str]] = [
    ("DIF-{yy}", "Digital Inclusion Forum {yyyy}", 10, 3, "Geneva, Switzerland", True, "120000.00"),
    ("RDF-AFR-{yy}", "Regional Development Forum for Africa {yyyy}", 87, 2, "Nairobi, Kenya", True, "90000.00"),
    ("PRT-{yy}", "ITU-D Partnership Roundtable {yyyy}", 115, 1, "Geneva, Switzerland", False, ""),
    ("GSR-{yy}", "Global Symposium for Regulators {yyyy}", 199, 4, "To be announced", True, "400000.00"),
]
# Activity -> (lowest, highest) price in thousands of USD.
ACTIVITIES: dict[str, tuple[int, int]] = {
    "Side event": (20, 60),
    "Reception": (30, 80),
    "Coffee break": (8, 20),
    "Lanyards": (10, 25),
    "Welcome cocktail": (25, 50),
    "Delegate bags": (10, 20),
    "Wi-Fi connectivity": (15, 40),
    "Social event": (40, 90),
}
VIRTUAL_ACTIVITIES: dict[str, tuple[int, int]] = {
    "Virtual session": (10, 30),
    "Networking platform": (15, 35),
}

# --- Files ---------------------------------------------------------------------------------
# The columns of each sample file, in the order of DATA-CONTRACT.md.
COLUMNS: dict[str, list[str]] = {
    "partners": _words(
        "partner_id name partner_type country sector sector_member priority_areas priority_regions "
        "priority_countries funding_mechanisms mandate strategy website"
    ),
    "agreements": _words(
        "agreement_id partner_id title agreement_type parent_id signed_date end_date value_usd amount currency "
        "regions countries areas status officer notes"
    ),
    "events": _words("event_id name start_date end_date location open_event sponsorship_target_usd"),
    "sponsorships": _words("sponsorship_id event_id partner_id activity amount_usd signed_date status"),
}
