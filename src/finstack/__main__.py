from finstack.cli import main

raise SystemExit(main())
