Console.WriteLine("Quickstart: under construction");
