"""The sponsorship demo: packages for the sample's upcoming events, their texts in
the six languages, and the discount rules. Deterministic; loaded by
`python -m db init --sample` after the sample files (`seed_sponsorship_demo`).

Sold-out packages are real: the sample's sponsorships of these events are
linked to the package of their activity, and a package sells out when its
confirmed sponsorships reach its quantity. Amounts, statuses and dates of the
sample's sponsorships are left exactly as they are, so no KPI changes (2017:
14 sponsors, USD 590,329). A few confirmed sponsors are marked as agreeing to
be listed on the public page.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select, update

from db import audit
from db.models import Event, Sponsorship
from db.models_sponsorship import DiscountRule, EventText, PackageText, SponsorshipPackage
from db.sponsorship_vocab import activity_kind

E, S, ET = Event.__table__, Sponsorship.__table__, EventText.__table__
PK, PT, DR = SponsorshipPackage.__table__, PackageText.__table__, DiscountRule.__table__
USD = 100  # cents

# Discount rules in the order they combine (db/pricing.py: they compound).
RULES = (
    {"kind": "sector-member", "percent_bp": 1000, "open_events_only": True, "position": 1},
    {"kind": "multi-count", "percent_bp": 500, "min_packages": 2, "position": 2},
    {"kind": "multi-total", "percent_bp": 500, "min_total_cents": 50_000 * USD, "position": 3},
)

# event -> (kind, list price in USD, how many can be sold)
PACKAGES: dict[str, tuple[tuple[str, int, int], ...]] = {
    "DIF-26": (
        ("side-event", 45_000, 4), ("social-event", 70_000, 1), ("reception", 50_000, 2), ("wifi", 35_000, 1),
        ("coffee-break", 12_000, 4), ("lanyards", 15_000, 1), ("delegate-bags", 18_000, 1),
    ),
    "RDF-AFR-27": (
        ("reception", 40_000, 2), ("delegate-bags", 20_000, 1), ("side-event", 25_000, 3), ("coffee-break", 8_000, 2),
    ),
    "PRT-27": (("side-event", 20_000, 3), ("reception", 30_000, 1), ("coffee-break", 6_000, 2)),
    "GSR-27": (
        ("side-event", 40_000, 6), ("reception", 45_000, 2), ("coffee-break", 15_000, 4), ("lanyards", 12_000, 1),
        ("delegate-bags", 12_000, 1), ("wifi", 25_000, 1), ("welcome-cocktail", 35_000, 1),
    ),
}  # fmt: skip

LISTED_PUBLICLY = ("S-2026-016", "S-2027-002", "S-2027-007")

# language -> (name, description); English is the event's own name.
EVENT_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "DIF-26": {
        "en": ("Digital Inclusion Forum 2026", "Ministers, regulators, industry and civil society on affordable access, digital skills and accessibility for everyone."),
        "fr": ("Forum sur l'inclusion numérique 2026", "Ministres, régulateurs, secteur privé et société civile sur l'accès abordable, les compétences numériques et l'accessibilité pour tous."),
        "es": ("Foro sobre Inclusión Digital 2026", "Ministros, reguladores, industria y sociedad civil sobre el acceso asequible, las competencias digitales y la accesibilidad para todos."),
        "ru": ("Форум по цифровой интеграции 2026 года", "Министры, регуляторные органы, отрасль и гражданское общество о приемлемом в ценовом отношении доступе, цифровых навыках и доступности для всех."),
        "zh": ("2026年数字包容论坛", "部长、监管机构、业界和民间社会共同探讨可负担的接入、数字技能以及面向所有人的无障碍获取。"),
        "ar": ("منتدى الشمول الرقمي لعام 2026", "وزراء وهيئات تنظيمية وقطاع خاص ومجتمع مدني يناقشون النفاذ الميسور التكلفة والمهارات الرقمية وإمكانية النفاذ للجميع."),
    },
    "RDF-AFR-27": {
        "en": ("Regional Development Forum for Africa 2027", "The region's priorities for ITU-D's work: connectivity, digital transformation and regional initiatives for Africa."),
        "fr": ("Forum régional de développement pour l'Afrique 2027", "Les priorités de la région pour les travaux de l'UIT-D : connectivité, transformation numérique et initiatives régionales pour l'Afrique."),
        "es": ("Foro Regional de Desarrollo para África 2027", "Las prioridades de la región para la labor del UIT-D: conectividad, transformación digital e iniciativas regionales para África."),
        "ru": ("Региональный форум по развитию для Африки 2027 года", "Приоритеты региона для работы МСЭ-D: возможность подключения, цифровая трансформация и региональные инициативы для Африки."),
        "zh": ("2027年非洲区域发展论坛", "本区域对国际电联电信发展部门工作的优先事项：连通性、数字化转型以及非洲区域举措。"),
        "ar": ("المنتدى الإقليمي للتنمية لأفريقيا لعام 2027", "أولويات المنطقة لعمل قطاع تنمية الاتصالات: التوصيلية والتحول الرقمي والمبادرات الإقليمية لأفريقيا."),
    },
    "PRT-27": {
        "en": ("ITU-D Partnership Roundtable 2027", "A closed meeting of BDT with its development partners on projects and initiatives that need partners."),
        "fr": ("Table ronde de l'UIT-D sur les partenariats 2027", "Une réunion restreinte du BDT avec ses partenaires de développement sur les projets et initiatives qui recherchent des partenaires."),
        "es": ("Mesa redonda del UIT-D sobre asociaciones 2027", "Una reunión restringida de la BDT con sus asociados para el desarrollo sobre proyectos e iniciativas que necesitan asociados."),
        "ru": ("Круглый стол МСЭ-D по партнерствам 2027 года", "Закрытое совещание БРЭ с партнерами по развитию о проектах и инициативах, которым нужны партнеры."),
        "zh": ("2027年国际电联电信发展部门伙伴关系圆桌会议", "电信发展局与其发展伙伴就需要合作伙伴的项目和举措举行的闭门会议。"),
        "ar": ("اجتماع المائدة المستديرة لقطاع تنمية الاتصالات بشأن الشراكات لعام 2027", "اجتماع مغلق لمكتب تنمية الاتصالات مع شركائه في التنمية بشأن المشاريع والمبادرات التي تحتاج إلى شركاء."),
    },
    "GSR-27": {
        "en": ("Global Symposium for Regulators 2027", "The yearly meeting of regulators and policy makers from around the world, with the Global Regulators-Industry Dialogue."),
        "fr": ("Colloque mondial des régulateurs 2027", "La réunion annuelle des régulateurs et décideurs du monde entier, avec le dialogue mondial entre régulateurs et secteur privé."),
        "es": ("Simposio Mundial para Organismos Reguladores 2027", "La reunión anual de reguladores y responsables de políticas de todo el mundo, con el diálogo mundial entre reguladores y la industria."),
        "ru": ("Глобальный симпозиум для регуляторных органов 2027 года", "Ежегодная встреча регуляторных и директивных органов со всего мира, включая глобальный диалог регуляторных органов и отрасли."),
        "zh": ("2027年全球监管机构研讨会", "全球监管机构和政策制定者的年度会议，包括全球监管机构与业界对话。"),
        "ar": ("الندوة العالمية لمنظمي الاتصالات لعام 2027", "الاجتماع السنوي للهيئات التنظيمية ومقرري السياسات من جميع أنحاء العالم، مع الحوار العالمي بين الهيئات التنظيمية والصناعة."),
    },
}  # fmt: skip

# kind -> language -> (name, description, what the sponsor gets)
PACKAGE_TEXTS: dict[str, dict[str, tuple[str, str, str]]] = {
    "side-event": {
        "en": ("Side event", "A 90-minute session in a meeting room of the venue, on a topic agreed with BDT.", "Your logo on the programme and screens; a speaking slot for your organisation."),
        "fr": ("Événement parallèle", "Une séance de 90 minutes dans une salle de réunion du lieu, sur un thème convenu avec le BDT.", "Votre logo sur le programme et les écrans ; une intervention de votre organisation."),
        "es": ("Evento paralelo", "Una sesión de 90 minutos en una sala de reuniones de la sede, sobre un tema acordado con la BDT.", "Su logotipo en el programa y en las pantallas; una intervención de su organización."),
        "ru": ("Параллельное мероприятие", "90-минутная сессия в зале заседаний на месте проведения, по теме, согласованной с БРЭ.", "Ваш логотип в программе и на экранах; выступление представителя вашей организации."),
        "zh": ("会外活动", "在会场会议室举办一场90分钟的会议，主题与电信发展局商定。", "您的标志出现在议程和屏幕上；贵组织获得发言机会。"),
        "ar": ("فعالية جانبية", "جلسة مدتها 90 دقيقة في إحدى قاعات الاجتماعات بمكان الحدث، حول موضوع يُتفق عليه مع مكتب تنمية الاتصالات.", "شعاركم على البرنامج والشاشات؛ وكلمة لمنظمتكم."),
    },
    "social-event": {
        "en": ("Social event", "An evening event for all participants, hosted in your name.", "A welcome address by your representative; branding at the venue; 10 invitations."),
        "fr": ("Événement social", "Une soirée pour tous les participants, organisée en votre nom.", "Allocution de bienvenue de votre représentant ; visibilité sur place ; 10 invitations."),
        "es": ("Evento social", "Un evento nocturno para todos los participantes, organizado en su nombre.", "Palabras de bienvenida de su representante; visibilidad en el lugar; 10 invitaciones."),
        "ru": ("Социальное мероприятие", "Вечернее мероприятие для всех участников от имени вашей организации.", "Приветственное слово вашего представителя; брендинг на площадке; 10 приглашений."),
        "zh": ("社交活动", "以贵组织名义为全体与会者举办的晚间活动。", "贵方代表致欢迎辞；现场品牌展示；10份邀请函。"),
        "ar": ("فعالية اجتماعية", "أمسية لجميع المشاركين تُقام باسمكم.", "كلمة ترحيب يلقيها ممثلكم؛ وإبراز علامتكم في المكان؛ و10 دعوات."),
    },
    "reception": {
        "en": ("Reception", "A standing reception after the opening session.", "Your logo at the reception and in the programme; 5 invitations."),
        "fr": ("Réception", "Une réception debout après la séance d'ouverture.", "Votre logo à la réception et dans le programme ; 5 invitations."),
        "es": ("Recepción", "Una recepción de pie después de la sesión inaugural.", "Su logotipo en la recepción y en el programa; 5 invitaciones."),
        "ru": ("Прием", "Фуршет после церемонии открытия.", "Ваш логотип на приеме и в программе; 5 приглашений."),
        "zh": ("招待会", "开幕式后的站立式招待会。", "您的标志出现在招待会现场和议程中；5份邀请函。"),
        "ar": ("حفل استقبال", "حفل استقبال بعد الجلسة الافتتاحية.", "شعاركم في حفل الاستقبال وفي البرنامج؛ و5 دعوات."),
    },
    "coffee-break": {
        "en": ("Coffee break", "Coffee and refreshments for all participants during one day.", "Your logo on the coffee stations and in the programme."),
        "fr": ("Pause-café", "Café et rafraîchissements pour tous les participants pendant une journée.", "Votre logo sur les stands café et dans le programme."),
        "es": ("Pausa café", "Café y refrigerios para todos los participantes durante un día.", "Su logotipo en los puestos de café y en el programa."),
        "ru": ("Кофе-брейк", "Кофе и прохладительные напитки для всех участников в течение одного дня.", "Ваш логотип на кофейных стойках и в программе."),
        "zh": ("茶歇", "为全体与会者提供一天的咖啡和茶点。", "您的标志出现在茶歇台和议程中。"),
        "ar": ("استراحة قهوة", "القهوة والمرطبات لجميع المشاركين طوال يوم واحد.", "شعاركم على محطات القهوة وفي البرنامج."),
    },
    "lanyards": {
        "en": ("Lanyards", "The badge lanyards every participant wears.", "Your logo printed on every lanyard."),
        "fr": ("Cordons porte-badge", "Les cordons porte-badge que porte chaque participant.", "Votre logo imprimé sur chaque cordon."),
        "es": ("Cintas para credenciales", "Las cintas de las credenciales que lleva cada participante.", "Su logotipo impreso en cada cinta."),
        "ru": ("Ленты для бейджей", "Ленты для бейджей, которые носит каждый участник.", "Ваш логотип на каждой ленте."),
        "zh": ("证件挂绳", "每位与会者佩戴的证件挂绳。", "您的标志印在每条挂绳上。"),
        "ar": ("أشرطة الشارات", "أشرطة الشارات التي يرتديها كل مشارك.", "شعاركم مطبوع على كل شريط."),
    },
    "delegate-bags": {
        "en": ("Delegate bags", "The bag handed to every participant at registration.", "Your logo on the bag; one brochure of yours inside."),
        "fr": ("Sacs des délégués", "Le sac remis à chaque participant lors de l'inscription.", "Votre logo sur le sac ; une de vos brochures à l'intérieur."),
        "es": ("Bolsas para delegados", "La bolsa entregada a cada participante al inscribirse.", "Su logotipo en la bolsa; un folleto suyo en su interior."),
        "ru": ("Сумки для делегатов", "Сумка, которую получает каждый участник при регистрации.", "Ваш логотип на сумке; ваша брошюра внутри."),
        "zh": ("代表包", "每位与会者在注册时领取的代表包。", "您的标志印在包上；包内放入一份贵方宣传册。"),
        "ar": ("حقائب المندوبين", "الحقيبة التي تُسلَّم لكل مشارك عند التسجيل.", "شعاركم على الحقيبة؛ وكتيّب من منشوراتكم بداخلها."),
    },
    "wifi": {
        "en": ("Wi-Fi connectivity", "Wireless internet for all participants throughout the event.", "The network name and login page in your name."),
        "fr": ("Connectivité Wi-Fi", "L'accès internet sans fil pour tous les participants pendant tout l'événement.", "Le nom du réseau et la page de connexion à votre nom."),
        "es": ("Conectividad Wi-Fi", "Internet inalámbrico para todos los participantes durante todo el evento.", "El nombre de la red y la página de acceso a su nombre."),
        "ru": ("Подключение Wi-Fi", "Беспроводной интернет для всех участников на протяжении всего мероприятия.", "Название сети и страница входа с вашим именем."),
        "zh": ("Wi-Fi连接", "活动期间为全体与会者提供无线网络。", "网络名称和登录页面使用贵组织名称。"),
        "ar": ("الاتصال اللاسلكي بالإنترنت", "الإنترنت اللاسلكي لجميع المشاركين طوال الحدث.", "اسم الشبكة وصفحة الدخول باسمكم."),
    },
    "welcome-cocktail": {
        "en": ("Welcome cocktail", "A cocktail on the eve of the opening.", "Welcome words by your representative; your logo at the venue; 8 invitations."),
        "fr": ("Cocktail de bienvenue", "Un cocktail la veille de l'ouverture.", "Mot de bienvenue de votre représentant ; votre logo sur place ; 8 invitations."),
        "es": ("Cóctel de bienvenida", "Un cóctel la víspera de la inauguración.", "Palabras de bienvenida de su representante; su logotipo en el lugar; 8 invitaciones."),
        "ru": ("Приветственный коктейль", "Коктейль накануне открытия.", "Приветственное слово вашего представителя; ваш логотип на площадке; 8 приглашений."),
        "zh": ("欢迎酒会", "开幕前夜的酒会。", "贵方代表致欢迎辞；现场展示您的标志；8份邀请函。"),
        "ar": ("حفل الترحيب", "حفل كوكتيل عشية الافتتاح.", "كلمة ترحيب يلقيها ممثلكم؛ وشعاركم في المكان؛ و8 دعوات."),
    },
}  # fmt: skip


def seed_sponsorship_demo(conn: Connection) -> dict[str, int]:
    """Load the demo's packages, texts and discount rules into a store holding the
    sample; returns counts {rules, packages, linked}. Does nothing (all zeros) when
    the store already has packages or rules, or lacks the sample's events."""
    done = {"rules": 0, "packages": 0, "linked": 0}
    has_catalogue = conn.scalar(select(func.count()).select_from(PK)) or conn.scalar(select(func.count()).select_from(DR))
    events = set(conn.scalars(select(E.c.id).where(E.c.id.in_(list(PACKAGES)))))
    if has_catalogue or not events:
        return done
    for rule in RULES:
        conn.execute(insert(DR).values({"active": True, "open_events_only": False, "version": 1} | rule))
        done["rules"] += 1
    for event_id in sorted(events):
        for lang, (name, description) in EVENT_TEXTS[event_id].items():
            if lang == "en":
                conn.execute(update(E).where(E.c.id == event_id).values(description=description))
            else:
                conn.execute(insert(ET).values(event_id=event_id, lang=lang, name=name, description=description))
        package_ids = {}
        for kind, price_usd, quantity in PACKAGES[event_id]:
            package_id = conn.execute(
                insert(PK)
                .values(event_id=event_id, code=kind, activity_kind=kind, price_cents=price_usd * USD, quantity=quantity,
                        active=True, version=1)  # fmt: skip
                .returning(PK.c.id)
            ).scalar_one()
            package_ids[kind] = package_id
            for lang, (name, description, benefits) in PACKAGE_TEXTS[kind].items():
                conn.execute(
                    insert(PT).values(package_id=package_id, lang=lang, name=name, description=description, benefits=benefits)
                )
            done["packages"] += 1
        for sponsorship_id, activity in conn.execute(select(S.c.id, S.c.activity).where(S.c.event_id == event_id)):
            package_id = package_ids.get(activity_kind(None, activity))
            if package_id is not None:
                conn.execute(update(S).where(S.c.id == sponsorship_id).values(package_id=package_id))
                done["linked"] += 1
    conn.execute(update(S).where(S.c.id.in_(LISTED_PUBLICLY)).values(listed_publicly=True))
    summary = f"{done['rules']} discount rules, {done['packages']} packages, {done['linked']} sponsorships linked"
    audit.record(conn, "init", "sponsorship-seed", "sponsorship_package", None, new=summary)
    return done
