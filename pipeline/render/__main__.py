"""`python -m pipeline.render corpus/ -o outputs/corpus_pdf/`"""
from pipeline.render import main

raise SystemExit(main())
