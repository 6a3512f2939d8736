"""PathLens dashboard entry point: a first page at once, then the model (loaded once per server), navigation.

The first visit to a fresh server waits for PyTorch, Transformers and the model; the page says so, with a
progress bar, before any of them is imported (`core` is imported below the loading screen on purpose).
"""

from pathlib import Path
from types import ModuleType

import streamlit as st

FAVICON = str(Path(__file__).resolve().parent / "core" / "ui" / "assets" / "favicon.png")  # local: no icon host
st.set_page_config(page_title="PathLens", page_icon=FAVICON, layout="wide")


@st.cache_resource(show_spinner=False)
def _server_start() -> dict[str, bool]:
    """Whether this server has loaded the model yet (one flag for every session)."""
    return {"ready": False}


start = _server_start()
loading = st.empty()
showed_loading = not start["ready"]
if showed_loading:
    with loading.container():
        # no list of pages/ files in the sidebar meanwhile: the navigation below names the pages a role may open
        st.html("<style>[data-testid='stSidebarNav'], [data-testid='stSidebar'] {display: none}</style>")
        st.title("PathLens")
        st.markdown(
            "Starting the dashboard: the model is loaded **once for this server** (PyTorch, Transformers, the "
            "encoder and its exit heads); later visits open at once."
        )
        bar = st.progress(0.05, text="Importing PyTorch and Transformers…")


def _import_core() -> tuple[ModuleType, ModuleType, ModuleType]:
    """`core.ui`, its models and its session state, imported only now: the import pulls in PyTorch (seconds on a
    cold server)."""
    from core import ui
    from core.ui import models, state

    return ui, models, state


ui, ui_models, ui_state = _import_core()
if showed_loading:
    bar.progress(0.5, text="Loading the model and warming it up…")
ui_state.init(st.session_state)


def model_resources(name: str) -> ui_models.Resources:
    """The engine and record service of model `name`, each made once per server (st.cache_resource)."""
    try:
        engine = st.cache_resource(ui_models.load_engine_named, show_spinner="Loading the model (once per server)…")(
            name
        )
    except ui.UserError as exc:
        loading.empty()
        st.error(f"The model {name} could not be loaded: {exc}")
        st.stop()
    if showed_loading:
        bar.progress(0.9, text="Opening the decision record…")
    try:
        service = st.cache_resource(ui_models.open_model_service, show_spinner=False)(engine, ui.store_location(), name)
    except ui.UserError as exc:  # pages that need no record keep working; decisions are made but not recorded
        service = st.cache_resource(ui_models.unrecorded_model_service, show_spinner=False)(engine, name)
        st.warning(f"The decision record cannot be opened, so nothing is recorded and History is empty: {exc}")
    return engine, service


try:
    models = {info.name: info for info in ui_models.model_choices()}
except ui.UserError as exc:
    loading.empty()
    st.error(f"The models to choose from could not be listed: {exc}")
    st.stop()
engine, service = model_resources(ui_models.served_model())  # the login reads keys from its record
if showed_loading:  # draw the app afresh: the loading page's style that hid the sidebar can outlive `empty()`
    start["ready"] = True
    st.rerun()
ui_state.share_resources(st.session_state, engine, service)

if ui.login_required():
    if st.session_state[ui_state.ROLE] is None:  # PATHLENS_DASHBOARD_AUTH=1: a key first (see core/ui/access.py)
        st.title("PathLens")
        with st.form("pl_login"):
            key = st.text_input("API key", type="password", key="pl_w_login_key")
            submitted = st.form_submit_button("Log in")
        if submitted:
            try:
                ui_state.log_in(st.session_state, *ui.login(service, key))
            except ui.UserError as exc:
                st.error(str(exc))
            else:
                st.rerun()
        st.stop()
    st.sidebar.caption(f"Logged in as {ui_state.role(st.session_state)}")
    st.sidebar.button("Log out", key="pl_w_logout", on_click=ui_state.log_out, args=(st.session_state,))

pages = {
    "decide": st.Page("pages/decide.py", title="Decide & explain", icon=":material/explore:"),
    "compare": st.Page("pages/compare.py", title="Compare paths", icon=":material/compare_arrows:"),
    "audit": st.Page("pages/audit.py", title="Batch audit", icon=":material/table_view:"),
    "history": st.Page("pages/history.py", title="History", icon=":material/history:"),
    "model": st.Page("pages/model.py", title="Model", icon=":material/account_tree:"),
}
navigation = st.navigation([pages[name] for name in ui.pages_for(ui_state.role(st.session_state))])
# The picker comes after st.navigation: a widget drawn before it does not keep a new value (Streamlit 1.67).
# Radio buttons, not a selectbox: the path box stays the sidebar's first text field.
picked = st.sidebar.radio(
    "Model",
    list(models),
    key=ui_models.W_MODEL,
    captions=[ui_models.model_caption(info) for info in models.values()],
    help="Each model is loaded once per server; switching needs no restart. Decisions record which model decided.",
)
if picked != ui_models.served_model():
    engine, service = model_resources(picked)
ui_models.adopt_model(st.session_state, engine, picked)
ui_state.share_resources(st.session_state, engine, service)
navigation.run()
