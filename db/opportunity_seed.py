"""Demo data of the opportunities platform (synthetic, no real personal data).

`seed_opportunities_demo(conn)` adds seven opportunities in every status, with
titles and summaries in the six languages for most of them and some
translations missing or still in draft (the English text is shown in their
place), concept notes as small PDFs, video links, leads from fictional
organisations, and two confirmed subscribers at example.org whose digests
are queued. Deterministic for a given PARTNERSHIPS_TODAY; does nothing when
the store already holds opportunities.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import Connection, func, insert, select

from db import audit, settings
from db.access import Principal
from db.models import User
from db.models_opportunities import Opportunity, OpportunityLead, Subscriber, SubscriberArea, SubscriberRegion
from db.opportunities import create_opportunity
from db.opportunity_media import add_media_file, add_video_link

SEED_ACTOR = Principal("init", "admin")
R, D = "reviewed", "draft"

# code, status, areas, regions, countries, (budget, sought, secured) USD, texts {lang: (title, summary, status)}
OPPORTUNITIES = (
    ("OPP-DEMO-01", "open", ("digital-inclusion", "infrastructure"), ("AFR",), ("NER", "TCD"), (1_200_000, 900_000, 150_000), {
        "en": ("Smart villages: connecting rural communities", "Bring affordable broadband and digital services (health, education, agriculture) to rural villages through shared community networks and local skills.", R),
        "fr": ("Villages intelligents : connecter les communautés rurales", "Apporter aux villages ruraux un haut débit abordable et des services numériques (santé, éducation, agriculture) grâce à des réseaux communautaires partagés et à des compétences locales.", R),
        "es": ("Aldeas inteligentes: conectar a las comunidades rurales", "Llevar banda ancha asequible y servicios digitales (salud, educación, agricultura) a las aldeas rurales mediante redes comunitarias compartidas y competencias locales.", "translated"),
        "ru": ("Умные деревни: подключение сельских общин", "Обеспечить сельские населенные пункты доступной широкополосной связью и цифровыми услугами (здравоохранение, образование, сельское хозяйство) с помощью общих сетей сообществ и местных специалистов.", "translated"),
        "zh": ("智慧村庄：连接农村社区", "通过共享社区网络和本地技能，为农村村庄提供负担得起的宽带和数字服务（卫生、教育、农业）。", "translated"),
        "ar": ("القرى الذكية: توصيل المجتمعات الريفية", "توفير النطاق العريض الميسور التكلفة والخدمات الرقمية (الصحة والتعليم والزراعة) للقرى الريفية من خلال شبكات مجتمعية مشتركة ومهارات محلية.", R),
    }),
    ("OPP-DEMO-02", "in-discussion", ("cybersecurity", "capacity-building"), ("ARB", "AFR"), (), (450_000, 300_000, 120_000), {
        "en": ("Regional cyber drills for national incident response teams", "Annual simulation exercises that let national computer incident response teams (CIRTs) practise coordinated responses to cyber attacks.", R),
        "fr": ("Exercices régionaux de cybersécurité pour les équipes nationales d'intervention", "Des exercices de simulation annuels permettant aux équipes nationales d'intervention en cas d'incident informatique (CIRT) de s'entraîner à une riposte coordonnée aux cyberattaques.", R),
        "es": ("Ciberejercicios regionales para los equipos nacionales de respuesta a incidentes", "Ejercicios de simulación anuales para que los equipos nacionales de respuesta a incidentes informáticos (CIRT) practiquen respuestas coordinadas ante ciberataques.", R),
        "ru": ("Региональные киберучения для национальных групп реагирования на инциденты", "Ежегодные имитационные учения, позволяющие национальным группам реагирования на компьютерные инциденты (CIRT) отрабатывать скоординированные ответы на кибератаки.", R),
        "zh": ("面向国家事件响应团队的区域网络演习", "每年举办模拟演习，使国家计算机事件响应团队（CIRT）能够演练对网络攻击的协同应对。", R),
        "ar": ("تمارين إقليمية للأمن السيبراني لفرق الاستجابة الوطنية للحوادث", "تمارين محاكاة سنوية تتيح لفرق الاستجابة الوطنية للحوادث الحاسوبية التدرب على الاستجابة المنسقة للهجمات السيبرانية.", R),
    }),
    ("OPP-DEMO-03", "open", ("emergency-telecom",), ("ASP", "AMS"), ("FJI", "VUT", "DMA"), (800_000, 800_000, 0), {
        "en": ("Early-warning systems for disaster-prone islands", "Deploy multi-hazard early-warning and emergency telecommunication systems in small island states exposed to cyclones and floods.", R),
        "fr": ("Systèmes d'alerte précoce pour les îles exposées aux catastrophes", "Déployer des systèmes d'alerte précoce multirisques et de télécommunications d'urgence dans les petits États insulaires exposés aux cyclones et aux inondations.", R),
        "es": ("Sistemas de alerta temprana para islas propensas a desastres", "Desplegar sistemas de alerta temprana multirriesgo y de telecomunicaciones de emergencia en pequeños Estados insulares expuestos a ciclones e inundaciones.", "translated"),
        "ru": ("Системы раннего предупреждения для островов, подверженных бедствиям", "Развертывание систем раннего предупреждения о многих опасностях и систем электросвязи в чрезвычайных ситуациях в малых островных государствах, подверженных циклонам и наводнениям.", "translated"),
        "zh": ("易受灾岛屿的预警系统", "在易受气旋和洪水影响的小岛屿国家部署多灾种预警和应急通信系统。", D),
        "ar": ("أنظمة الإنذار المبكر للجزر المعرضة للكوارث", "نشر أنظمة الإنذار المبكر بالمخاطر المتعددة وأنظمة الاتصالات في حالات الطوارئ في الدول الجزرية الصغيرة المعرضة للأعاصير والفيضانات.", R),
    }),
    ("OPP-DEMO-04", "concept", ("climate-ewaste",), ("AMS", "EUR"), (), (250_000, 250_000, 0), {
        "en": ("E-waste collection and recycling pilots", "A concept for city pilots that collect and safely recycle electronic waste, with data on the volumes recovered.", R),
        "fr": ("Projets pilotes de collecte et de recyclage des déchets électroniques", "Un concept de projets pilotes municipaux pour collecter et recycler en toute sécurité les déchets électroniques, avec des données sur les volumes récupérés.", "translated"),
        "es": ("Proyectos piloto de recogida y reciclaje de residuos electrónicos", "Un concepto de proyectos piloto municipales para recoger y reciclar de forma segura los residuos electrónicos, con datos sobre los volúmenes recuperados.", "translated"),
    }),
    ("OPP-DEMO-05", "partnered", ("digital-inclusion", "capacity-building"), ("GLB",), (), (600_000, 400_000, 400_000), {
        "en": ("Digital skills for women and girls", "Coding camps and online courses that build the digital skills of women and girls, with mentoring by professionals of the sector.", R),
        "fr": ("Compétences numériques pour les femmes et les filles", "Des camps de codage et des cours en ligne qui renforcent les compétences numériques des femmes et des filles, avec le mentorat de professionnels du secteur.", R),
        "es": ("Competencias digitales para mujeres y niñas", "Campamentos de programación y cursos en línea que desarrollan las competencias digitales de mujeres y niñas, con la tutoría de profesionales del sector.", R),
        "ru": ("Цифровые навыки для женщин и девочек", "Лагеря программирования и онлайн-курсы, развивающие цифровые навыки женщин и девочек, с наставничеством специалистов отрасли.", R),
        "zh": ("妇女和女童的数字技能", "通过编程营和在线课程提升妇女和女童的数字技能，并由业内专业人士提供指导。", R),
        "ar": ("المهارات الرقمية للنساء والفتيات", "معسكرات للبرمجة ودورات عبر الإنترنت لبناء المهارات الرقمية للنساء والفتيات، مع إرشاد من مهنيين في القطاع.", R),
    }),
    ("OPP-DEMO-06", "closed", ("statistics",), ("CIS",), ("KGZ", "TJK"), (150_000, 150_000, 150_000), {
        "en": ("ICT household surveys in the CIS region", "Support national statistical offices in running household surveys on ICT access and use.", R),
        "ru": ("Обследования домохозяйств по ИКТ в регионе СНГ", "Поддержка национальных статистических управлений в проведении обследований домохозяйств по доступу к ИКТ и их использованию.", R),
    }),
    ("OPP-DEMO-07", "open", ("innovation", "ict-applications"), ("AFR", "ARB", "ASP"), (), (500_000, 350_000, 50_000), {
        "en": ("Innovation hubs for young entrepreneurs", "Set up digital innovation hubs where young entrepreneurs test ICT applications with mentors, investors and public services.", R),
        "ar": ("مراكز الابتكار لرواد الأعمال الشباب", "إنشاء مراكز للابتكار الرقمي يختبر فيها رواد الأعمال الشباب تطبيقات تكنولوجيا المعلومات والاتصالات مع الموجهين والمستثمرين والخدمات العامة.", R),
        "fr": ("Pôles d'innovation pour les jeunes entrepreneurs", "Créer des pôles d'innovation numérique où de jeunes entrepreneurs testent des applications TIC avec des mentors, des investisseurs et des services publics.", "translated"),
        "es": ("Centros de innovación para jóvenes emprendedores", "Crear centros de innovación digital donde jóvenes emprendedores prueben aplicaciones TIC.", D),
    }),
)  # fmt: skip

VIDEOS = {
    "OPP-DEMO-01": "https://video.example.org/itu-d/smart-villages",
    "OPP-DEMO-03": "https://video.example.org/itu-d/early-warning",
    "OPP-DEMO-05": "https://video.example.org/itu-d/digital-skills",
}
# code, organisation, contact, message, language, status (all fictional)
LEADS = (
    ("OPP-DEMO-01", "Example Rural Connectivity Fund (fictional)", "Demo Contact A", "We fund community networks and would like to discuss co-financing two pilot villages.", "en", "new"),
    ("OPP-DEMO-01", "Fondation Exemple pour le numérique (fictive)", "Contact Démo B", "Nous souhaitons soutenir le volet formation.", "fr", "engaged"),
    ("OPP-DEMO-02", "Sample Security Labs (fictional)", "Demo Contact C", "We can provide the exercise platform in kind.", "en", "new"),
    ("OPP-DEMO-07", "مؤسسة مثال للابتكار (وهمية)", "جهة اتصال تجريبية", "نرغب في استضافة أحد مراكز الابتكار.", "ar", "new"),
)  # fmt: skip
SUBSCRIBERS = (
    ("demo.subscriber.fr@example.org", "fr", ("digital-inclusion", "innovation"), ("AFR",)),
    ("demo.subscriber.ar@example.org", "ar", ("cybersecurity", "emergency-telecom"), ()),
)


def concept_note_pdf(title: str) -> bytes:
    """A one-page PDF with the concept note's title (ASCII), valid for db.documents."""
    text = "".join(ch for ch in f"Concept note (demo): {title}" if 32 <= ord(ch) < 127)
    text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 60 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def seed_opportunities_demo(conn: Connection) -> int:
    """Add the demo opportunities, media, leads and subscribers; returns how many
    opportunities were added (0 when the store already has some)."""
    if conn.scalar(select(func.count()).select_from(Opportunity.__table__)):
        return 0
    start = datetime.combine(settings.today(), time(9, 0)) - timedelta(days=60)
    for index, (email, language, areas, regions) in enumerate(SUBSCRIBERS):
        moment = start + timedelta(hours=index)
        subscriber_id = conn.execute(
            insert(Subscriber.__table__).values(email=email, language=language, created_at=moment, confirmed_at=moment)
        ).inserted_primary_key[0]
        conn.execute(insert(SubscriberArea.__table__), [{"subscriber_id": subscriber_id, "area": a} for a in areas])
        if regions:
            rows = [{"subscriber_id": subscriber_id, "region": r} for r in regions]
            conn.execute(insert(SubscriberRegion.__table__), rows)
        audit.record(conn, "init", "subscriber-demo", "subscriber", str(subscriber_id))
    has_staff = conn.scalar(select(User.__table__.c.username).where(User.__table__.c.username == "staff"))
    ids: dict[str, int] = {}
    for index, (code, status, areas, regions, countries, money, texts) in enumerate(OPPORTUNITIES):
        values = {
            "code": code, "status": status, "areas": areas, "regions": regions, "countries": countries,
            "budget_usd": money[0], "funding_sought_usd": money[1], "funding_secured_usd": money[2],
            "contact_officer": "staff" if has_staff else None,
            "texts": {lang: {"title": t, "summary": s, "translation_status": st} for lang, (t, s, st) in texts.items()},
        }  # fmt: skip
        ids[code] = create_opportunity(conn, SEED_ACTOR, values, now=start + timedelta(days=7 * index))
        title = texts["en"][0]
        add_media_file(conn, SEED_ACTOR, ids[code], "concept-note", f"{code}-concept-note.pdf", concept_note_pdf(title), "en")
        if code in VIDEOS:
            add_video_link(conn, SEED_ACTOR, ids[code], VIDEOS[code])
    for index, (code, organisation, contact, message, language, status) in enumerate(LEADS):
        conn.execute(
            insert(OpportunityLead.__table__).values(
                opportunity_id=ids[code], organisation=organisation, contact_name=contact,
                email=f"lead{index + 1}@example.org", message=message, language=language, status=status,
                created_at=start + timedelta(days=30 + index), version=1)
        )  # fmt: skip
        audit.record(conn, "init", "lead-add", "opportunity", str(ids[code]), new=organisation)
    return len(ids)
