import StrataCLI
StrataMain.main()
