"""PathLens landing page: the loaded model and one decision along a chosen path."""

import streamlit as st

from core.engine import PathEngine
from core.errors import PathLensError
from core.model import load_model

st.set_page_config(page_title="PathLens", layout="wide")


@st.cache_resource
def _engine() -> PathEngine:
    return PathEngine(load_model())


st.title("PathLens")
engine = _engine()
st.caption(
    f"Model {engine.model.name} · fingerprint {engine.model.fingerprint} · "
    f"{engine.model.num_layers} layers × {engine.model.template.num_heads} heads"
)
text = st.text_area("Text", "A moving, beautifully acted film.")
path = st.text_input("Path", "full")
if st.button("Decide"):
    try:
        decision = engine.decide(text, engine.parse(path))
    except PathLensError as exc:
        st.error(str(exc))
    else:
        st.metric("Label", decision.label, f"{max(decision.probs.values()):.1%}")
        st.json(decision.to_json())
