"""The data layer of Partnerships: models, migrations, import/export, KPIs and the CLI.

Nothing under db/ imports streamlit.
"""
